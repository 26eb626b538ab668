// The page reaches the API only through this client (@ax/api-client: types generated from /openapi.json).
// Every call sends X-Requested-With: ax-web (the API wants it on cookie-authenticated changes).
import { createApiClient, type Schemas } from '@ax/api-client';
import { formatInstant } from '../ui/dates';

export type { Schemas };
export type ErrorDetail = Schemas['Error']['error']['details'][number];

export const api = createApiClient({
  baseUrl: typeof window === 'undefined' ? 'http://127.0.0.1:3000' : window.location.origin,
  headers: { 'X-Requested-With': 'ax-web' },
});

/** An API error answer, with what the page shows: field errors, when to retry, whether the service was busy. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }
  fieldError(field: string): string | undefined {
    return (
      this.details
        .filter((d) => d.field === field || d.field.startsWith(`${field}.`))
        .map((d) => d.message)
        .join(' ') || undefined
    );
  }
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a successful answer; an ApiFailure otherwise. */
export function unwrap<T>(result: Result<T>): T {
  const { response } = result;
  if (response.ok) return result.data as T;
  const body = result.error as Partial<Schemas['Error']> | undefined;
  const retry = Number(response.headers.get('Retry-After'));
  throw new ApiFailure(
    response.status,
    body?.error?.code ?? 'http_error',
    body?.error?.message ?? `The service answered ${response.status}.`,
    body?.error?.details ?? [],
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}

/** When to retry, from Retry-After seconds: "in 10 seconds", "in 5 minutes", or the local time for a long wait (a daily limit). */
export function retryWhen(seconds: number, now = new Date()): string {
  if (seconds <= 90) return `in ${seconds} seconds`;
  if (seconds <= 90 * 60) return `in ${Math.ceil(seconds / 60)} minutes`;
  return `after ${formatInstant(new Date(now.getTime() + seconds * 1000).toISOString())}`;
}

/** One sentence for a failure that has no field to sit beside. */
export function describeFailure(err: unknown): string {
  if (!(err instanceof ApiFailure)) return 'Could not reach the service. Check the connection and try again.';
  if (err.status === 429) {
    const when = retryWhen(err.retryAfterS ?? 10);
    return `${err.message} ${when.startsWith('after') ? 'You can try' : 'Try'} again ${when}.`;
  }
  if (err.status === 503)
    return `The service is busy right now; nothing was lost. Try again in ${err.retryAfterS ?? 5} seconds.`;
  const loose = err.details.map((d) => `${d.field}: ${d.message}`).join('; ');
  return loose && err.status === 400 ? `${err.message} (${loose})` : err.message;
}
