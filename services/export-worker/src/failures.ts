// Sorting failures into "retry later" and "will never work", each with a stable code users can act on. Messages
// are stable texts for callers; the error itself is logged by the worker (export/record.ts), never shown to them.
export type Failure = { code: string; message: string; transient: boolean };

const TRANSIENT_NET = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

export function classify(err: unknown): Failure {
  const e = err as {
    code?: string;
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    $fault?: string;
  };
  const message = e?.message ?? String(err);
  if (e?.$metadata) {
    // The SDK puts $metadata on every error, also when no HTTP answer came (refused, reset, timed out).
    const status = e.$metadata.httpStatusCode ?? 0;
    if (status === 0 || status >= 500 || status === 429 || e.name === 'SlowDown' || e.name === 'ThrottlingException')
      return {
        code: 'storage_unavailable',
        message: 'The file store is unavailable; the export will be retried.',
        transient: true,
      };
    return {
      code: 'storage_rejected',
      message: `The file store refused the export file: ${e.name ?? status}.`,
      transient: false,
    };
  }
  if (e?.code && TRANSIENT_NET.has(e.code)) {
    return {
      code: 'dependency_unavailable',
      message: `A connection failed (${e.code}); the export will be retried.`,
      transient: true,
    };
  }
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    // ANALYTICS_STATEMENT_TIMEOUT_MS ran out: the same query would again, so no retry.
    if (e.code === '57014' && /statement timeout/i.test(message))
      return {
        code: 'query_timeout',
        message: 'The export query ran longer than the time allowed; narrow the range or filters.',
        transient: false,
      };
    const cls = e.code.slice(0, 2);
    if (['08', '53', '57', '40', '58'].includes(cls))
      return {
        code: 'database_unavailable',
        message: 'The database was unavailable; the export will be retried.',
        transient: true,
      };
    // Callers get the SQLSTATE only; the driver's text (names of tables, values) stays in the worker's log.
    return { code: 'query_failed', message: `The export query failed (SQLSTATE ${e.code}).`, transient: false };
  }
  if (/Connection terminated|socket hang up|write after end|Client has encountered a connection error/i.test(message))
    return {
      code: 'dependency_unavailable',
      message: 'A connection was lost; the export will be retried.',
      transient: true,
    };
  return { code: 'internal_error', message: 'The export failed on our side; it will be retried.', transient: true };
}

/** The message recorded when a transient failure outlasted every retry: no promise of another one. */
export const gaveUpMessage = (f: Failure, attempts: number): string =>
  `${f.message.replace(/;[^;]*will be retried\.?$/, '.')} Gave up after ${attempts} attempts.`;
