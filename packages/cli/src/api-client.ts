// A small client for the HTTP API, for CLI commands that act like any other API caller: the same
// validation, authorization and enqueue path, with the caller's bearer token.
import { UsageError } from './command';

export type ApiClient = { request<T>(method: string, path: string, body?: unknown): Promise<T> };

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: { field: string; message: string }[]) {
    super(message);
  }
}

export function apiClientFrom(values: Record<string, unknown>, env: NodeJS.ProcessEnv): ApiClient {
  const token = (values.token as string | undefined) ?? env.AX_API_TOKEN;
  if (!token) throw new UsageError('an API token is needed: --token T or the AX_API_TOKEN environment variable');
  const base = ((values['api-url'] as string | undefined) ?? env.AX_API_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new UsageError(`--api-url must be an http(s) URL, got ${base}`);
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          redirect: 'manual',
        });
      } catch (err) {
        throw new ApiFailure(0, 'unreachable', `cannot reach the API at ${base}: ${(err as { cause?: Error }).cause?.message ?? (err as Error).message}`, []);
      }
      const text = await res.text();
      const parsed = text ? (JSON.parse(text) as unknown) : null;
      if (!res.ok) {
        const e = (parsed as { error?: { code?: string; message?: string; details?: { field: string; message: string }[] } } | null)?.error;
        throw new ApiFailure(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `HTTP ${res.status}`, e?.details ?? []);
      }
      return parsed as T;
    },
  };
}

/** One line per problem, as the API named them. */
export const describeFailure = (f: ApiFailure): string =>
  [`error: ${f.message} (${f.status ? `${f.status} ` : ''}${f.code})`, ...f.details.map((d) => `  ${d.field}: ${d.message}`)].join('\n') + '\n';
