// The HTTP API for CLI commands that act like any other API caller (the same validation, authorization and
// enqueue path, with the caller's bearer token), through the client generated from /openapi.json.
import { createApiClient, type ApiClient as TypedClient } from '@ax/api-client';
import { UsageError } from './command';

export type ApiClient = {
  client: TypedClient;
  /** The data of a success; an ApiFailure for an error answer or an unreachable API. */
  call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T>;
};

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; message: string }[],
  ) {
    super(message);
  }
}

export function apiClientFrom(values: Record<string, unknown>, env: NodeJS.ProcessEnv): ApiClient {
  const token = (values.token as string | undefined) ?? env.AX_API_TOKEN;
  if (!token) throw new UsageError('an API token is needed: --token T or the AX_API_TOKEN environment variable');
  const base = ((values['api-url'] as string | undefined) ?? env.AX_API_URL ?? 'http://127.0.0.1:3000').replace(
    /\/+$/,
    '',
  );
  if (!/^https?:\/\//.test(base)) throw new UsageError(`--api-url must be an http(s) URL, got ${base}`);
  const client = createApiClient({ baseUrl: base, headers: { Authorization: `Bearer ${token}` }, redirect: 'manual' });
  return {
    client,
    async call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
      let result: { data?: T; error?: unknown; response: Response };
      try {
        result = await request;
      } catch (err) {
        throw new ApiFailure(
          0,
          'unreachable',
          `cannot reach the API at ${base}: ${(err as { cause?: Error }).cause?.message ?? (err as Error).message}`,
          [],
        );
      }
      if (result.response.ok) return result.data as T;
      const e = (
        result.error as
          { error?: { code?: string; message?: string; details?: { field: string; message: string }[] } } | undefined
      )?.error;
      const status = result.response.status;
      throw new ApiFailure(status, e?.code ?? `http_${status}`, e?.message ?? `HTTP ${status}`, e?.details ?? []);
    },
  };
}

/** One line per problem, as the API named them. */
export const describeFailure = (f: ApiFailure): string =>
  [
    `error: ${f.message} (${f.status ? `${f.status} ` : ''}${f.code})`,
    ...f.details.map((d) => `  ${d.field}: ${d.message}`),
  ].join('\n') + '\n';
