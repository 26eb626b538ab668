// Environment parsing: zod fragments per concern, one loader that names every bad variable.
import { z } from 'zod';

export { z };

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const url = (fallback?: string) => (fallback === undefined ? z.url() : z.url().default(fallback));
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const postgresEnv = {
  DATABASE_URL: url('postgres://postgres:postgres@127.0.0.1:5432/analytics_export'),
  // Export queries may read from a replica; control tables always use DATABASE_URL.
  ANALYTICS_DATABASE_URL: z.url().optional(),
};

export const redisEnv = {
  REDIS_URL: url('redis://127.0.0.1:6379'),
  // Prefix of every BullMQ key. Wrap it in {braces} for Redis Cluster hash tags.
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}.-]+$/)
    .default('ax'),
};

export const s3Env = {
  // Empty string means "talk to AWS"; absent means the local emulator.
  S3_ENDPOINT: z.union([z.literal(''), z.url()]).default('http://127.0.0.1:4568'),
  S3_BUCKET: z.string().min(3).default('analytics-exports'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  // Lifetime of presigned S3 URLs handed out by the download routes.
  S3_PRESIGN_TTL_SECONDS: z.coerce.number().int().min(10).max(604800).default(300),
};

export const sesEnv = {
  SES_ENDPOINT: z.union([z.literal(''), z.url()]).default('http://127.0.0.1:8005'),
  SES_REGION: z.string().min(1).default('us-east-1'),
  MAIL_FROM: z.email().default('reports@analytics-export.local'),
  // Comma-separated list of domains recipients must belong to; empty = any domain.
  RECIPIENT_DOMAIN_ALLOWLIST: z.string().default(''),
};

/** The local default link secret; refused with NODE_ENV=production, like the examples shipped in infra/. */
export const DEFAULT_LINK_SIGNING_SECRET = 'local-development-link-secret';
/** Secrets anyone can read in this repository (the default, docker-compose and k8s examples): never in production. */
const KNOWN_LINK_SECRETS = new Set([
  DEFAULT_LINK_SIGNING_SECRET,
  'change-me-in-production-please',
  'change-me-to-32-random-bytes-in-base64',
]);
export const MIN_PRODUCTION_SECRET_BYTES = 32;

export const publicLinkEnv = {
  PUBLIC_BASE_URL: url('http://127.0.0.1:3000'),
  // HMAC secret for links in e-mails. The default is for local use only: NODE_ENV=production refuses it.
  LINK_SIGNING_SECRET: z.string().min(16).default(DEFAULT_LINK_SIGNING_SECRET),
  LINK_TTL_DAYS: z.coerce.number().int().min(7).max(366).default(14),
};

export const exportFileEnv = {
  // Days an export file lives after it was written; then it is deleted and its export becomes 'expired' (§6.5).
  EXPORT_FILE_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
};

export const apiEnv = {
  PORT: port(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  // The API's ops port (/metrics, /healthz, /readyz), apart from the public API port like the workers'.
  METRICS_PORT: port(9466),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  // Queued + running exports one caller may have at once; more get 429.
  EXPORT_ACTIVE_LIMIT: z.coerce.number().int().min(1).default(20),
};

export const runtimeEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(25000),
};

export const workerEnv = {
  METRICS_PORT: port(9464),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  EXPORT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  // Connections one large raw-rows CSV export copies with at once, over consecutive time slices (1 = never split).
  // Each takes a PostgreSQL backend (a core); the worker keeps EXPORT_CONCURRENCY × this many COPY connections.
  // Default 1: slicing costs CPU (the spool, and ~20% more backend CPU), so it pays only with idle cores to spare on
  // both PostgreSQL and the worker (README "Time slices").
  EXPORT_COPY_PARALLELISM: z.coerce.number().int().min(1).max(16).default(1),
  // Where the later slices wait their turn (unlinked temporary files; up to about the export's size). Default: os.tmpdir().
  EXPORT_SPOOL_DIR: z.string().min(1).optional(),
  // Upper bound of the spool files of one export (bytes, estimated from the slice plan): past it, fewer slices
  // (down to one, which spools nothing). Keep it under the spool volume's size (k8s emptyDir sizeLimit).
  EXPORT_SPOOL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(4 * 1024 ** 3),
  // statement_timeout of every analytics query (COPY, JSON aggregates, slice plans); 0 = none. 15 min is ~10 times
  // what a 20M-row CSV export takes here; a COPY waiting on a slow upload counts against it too.
  ANALYTICS_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(900_000),
  // A job's lock lives this long unless renewed: the job of a worker that died is picked up again after about
  // JOB_LOCK_MS + JOB_STALLED_CHECK_MS. Short values speed that up but risk double runs on a stalled event loop.
  JOB_LOCK_MS: z.coerce.number().int().min(1000).default(60_000),
  JOB_STALLED_CHECK_MS: z.coerce.number().int().min(500).default(30_000),
};

export const reportsEnv = {
  REPORT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  // How many past periods per schedule the reconciler catches up after downtime (0 = none).
  REPORT_CATCH_UP_PERIODS: z.coerce.number().int().min(0).max(60).default(8),
  // How often the reconciler rebuilds job schedulers from PostgreSQL and sweeps stuck runs (0 = only at start).
  REPORT_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  // Consecutive failed runs after which a schedule pauses (paused_reason "failing") and its failure contacts hear once.
  REPORT_FAILURES_BEFORE_PAUSE: z.coerce.number().int().min(1).max(100).default(3),
  // Report e-mails one publisher's schedules may send per UTC day; past it a delivery fails 'rate_limited', unsent.
  EMAILS_PER_PUBLISHER_PER_DAY: z.coerce.number().int().min(0).default(2000),
};

/** Limits the API enforces against abuse (§6.4). */
export const reportLimitsEnv = {
  // Manual runs (backfill or resend) per schedule per UTC day; more get 429.
  REPORT_MANUAL_RUNS_PER_DAY: z.coerce.number().int().min(0).default(10),
  // Live schedules one publisher may have; more get 422 limit_reached.
  SCHEDULES_PER_PUBLISHER: z.coerce.number().int().min(0).default(100),
};

/** Below this, RETENTION_MONTHS stops every process at start unless RETENTION_ALLOW_SHORTER=true (CONTRACT §6.6). */
export const MIN_RETENTION_MONTHS = 24;

export const retentionEnv = {
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  // The explicit override for a RETENTION_MONTHS below 24: a typo must not delete years of data at the next pass.
  RETENTION_ALLOW_SHORTER: bool(false),
  RETENTION_ENABLED: bool(true),
};

/** What one retention pass reads, shared by the retention worker and the CLI so both run the same pass. */
export const retentionPassEnv = {
  ...retentionEnv,
  // Batch size of the boundary-month and plain-table deletes: each batch is one short transaction.
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  // How long one DDL or delete may wait for a lock before giving way (and retrying): keeps inserts unblocked.
  RETENTION_LOCK_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  RETENTION_LOCK_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  // Month partitions kept ready beyond the current month.
  RETENTION_FUTURE_MONTHS: z.coerce.number().int().min(3).max(24).default(3),
};

/**
 * Rules across variables, applied by loadConfig to every shape that has the variables concerned, so each process
 * refuses the same things. Each returns the problem lines (named by variable) for a parsed config.
 */
const crossChecks: ((c: Record<string, unknown>, env: NodeJS.ProcessEnv) => string[])[] = [
  (c) =>
    typeof c.RETENTION_MONTHS === 'number' &&
    c.RETENTION_MONTHS < MIN_RETENTION_MONTHS &&
    c.RETENTION_ALLOW_SHORTER !== true
      ? [
          `invalid environment variable RETENTION_MONTHS: ${c.RETENTION_MONTHS} is below ${MIN_RETENTION_MONTHS} months; ` +
            `set RETENTION_ALLOW_SHORTER=true to delete data that early on purpose`,
        ]
      : [],
  (c, env) => {
    if (env.NODE_ENV !== 'production' || typeof c.LINK_SIGNING_SECRET !== 'string') return [];
    const secret = c.LINK_SIGNING_SECRET;
    const why =
      KNOWN_LINK_SECRETS.has(secret) || /change[-_ ]?me/i.test(secret)
        ? 'is the default or an example value'
        : Buffer.byteLength(secret) < MIN_PRODUCTION_SECRET_BYTES
          ? `is shorter than ${MIN_PRODUCTION_SECRET_BYTES} bytes`
          : null;
    return why
      ? [
          `invalid environment variable LINK_SIGNING_SECRET: ${why}; NODE_ENV=production needs at least ` +
            `${MIN_PRODUCTION_SECRET_BYTES} random bytes (e.g. openssl rand -base64 32) (value hidden)`,
        ]
      : [];
  },
];

/** The process's environment: read here and nowhere else (a lint rule), then parsed by loadConfig. */
export const processEnvironment = (): NodeJS.ProcessEnv => process.env;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parses `env` against `shape`; throws ConfigError with one line per bad variable. */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (result.success) {
    const problems = crossChecks.flatMap((check) => check(result.data as Record<string, unknown>, env));
    if (problems.length) throw new ConfigError(problems);
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    const value = env[name];
    const secret = /SECRET|PASSWORD|KEY|URL/.test(name);
    const shown =
      value === undefined
        ? 'missing'
        : secret
          ? 'value hidden'
          : `got ${JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value)}`;
    return `invalid environment variable ${name}: ${issue.message} (${shown})`;
  });
  throw new ConfigError([...new Set(problems)]);
}

/** For main.ts: parse or print every problem, one line each, and exit 1. */
export function loadConfigOrExit<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  try {
    return loadConfig(shape, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.problems) process.stderr.write(line + '\n');
    process.exit(1);
  }
}
