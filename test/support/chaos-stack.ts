// A whole system for chaos tests: a fresh database on the shared PostgreSQL, private Redis / S3 / SES instances
// this file may kill, and the API and export workers as real child processes started like production.
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createStorage, type Storage } from '@ax/storage';
import { apiKey, basicMarketplace, createTestDatabase, uniquePrefix, type TestDb } from '@ax/testing';
import {
  eventually,
  freePort,
  jsonLogs,
  killLaunched,
  launch,
  startRedis,
  startS3,
  startSes,
  stopProc,
  type PrivateRedis,
  type PrivateS3,
  type PrivateSes,
  type Proc,
} from './private-services';

export type Service = Proc & { port: number; base: string };

export type ChaosStack = {
  db: TestDb;
  redis: PrivateRedis;
  s3: PrivateS3;
  ses: PrivateSes;
  prefix: string;
  /** A client of the private S3 emulator, for checking objects. */
  storage: Storage;
  /** Starts an export worker process and waits until it is ready (its /readyz; `waitFor` another path instead). */
  worker(env?: Record<string, string>, waitFor?: '/readyz' | '/healthz'): Promise<Service>;
  /** Starts the API process and waits until it answers /healthz. */
  api(env?: Record<string, string>): Promise<Service>;
  /** The exports queue on the private Redis, for looking at jobs (created on first use, closed with the stack). */
  exportsQueue(): Queue;
  close(): Promise<void>;
};

const tsxArgs = (main: string) => ['--conditions=source', '--require', 'tsx/cjs', main];

export async function createChaosStack(label: string, opts: { persistRedis?: boolean } = {}): Promise<ChaosStack> {
  const db = await createTestDatabase();
  const [redis, s3, ses] = await Promise.all([startRedis({ persist: opts.persistRedis }), startS3(), startSes()]);
  const prefix = uniquePrefix(label);
  const storage = createStorage({
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_REGION: 'us-east-1',
    S3_PRESIGN_TTL_SECONDS: 300,
  });
  const base = {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    SES_ENDPOINT: ses.endpoint,
    PUBLIC_BASE_URL: 'http://reports.chaos.test',
    LINK_SIGNING_SECRET: 'chaos-test-link-signing-secret',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '10000',
  };
  const services: Service[] = [];
  let queue: { redis: Redis; queue: Queue } | undefined;

  const start = async (
    name: string,
    main: string,
    env: Record<string, string>,
    portVar: string,
    readyPath: string,
  ): Promise<Service> => {
    const port = await freePort();
    const proc = launch(name, process.execPath, tsxArgs(main), { ...base, ...env, [portVar]: String(port) });
    const service = Object.assign(proc, { port, base: `http://127.0.0.1:${port}` });
    services.push(service);
    await eventually(
      `${name} ready`,
      async () => {
        if (!proc.running()) throw new Error(`${name} exited: ${proc.lines.slice(-10).join(' | ')}`);
        return (await fetch(`${service.base}${readyPath}`, { signal: AbortSignal.timeout(2000) }).catch(() => null))
          ?.ok;
      },
      60_000,
      100,
    );
    return service;
  };

  return {
    db,
    redis,
    s3,
    ses,
    prefix,
    storage,
    worker: (env = {}, waitFor = '/readyz') =>
      start(
        `worker-${services.length + 1}`,
        'services/export-worker/src/main.ts',
        {
          EXPORT_CONCURRENCY: '1',
          REPORT_CATCH_UP_PERIODS: '0',
          REPORT_RECONCILE_INTERVAL_MS: '0',
          ...env,
        },
        'METRICS_PORT',
        waitFor,
      ),
    api: (env = {}) =>
      start('api', 'services/api/src/main.ts', { HOST: '127.0.0.1', METRICS_PORT: '0', ...env }, 'PORT', '/healthz'),
    exportsQueue() {
      if (!queue) {
        const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
        connection.on('error', () => {}); // the tests kill this Redis on purpose; the client reconnects
        queue = { redis: connection, queue: new Queue('exports', { connection, prefix }) };
        queue.queue.on('error', () => {});
      }
      return queue.queue;
    },
    async close() {
      if (queue) {
        await queue.queue.close();
        queue.redis.disconnect();
      }
      await Promise.all(services.map((s) => stopProc(s, 'SIGKILL')));
      await killLaunched();
      await Promise.all([redis.close(), s3.close(), ses.close()]);
      storage.client.destroy();
      await db.drop();
    },
  };
}

/** `n` install events of pub-a's package pkg-a1 over the 14 days before today (UTC), plus the basic marketplace. */
export async function seedInstalls(db: TestDb, n: number): Promise<{ from: string; to: string }> {
  await basicMarketplace(db.sql);
  await db.sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
    select 'pkg-a1', '1.' || (g % 7) || '.' || (g % 13), 'tenant-' || (g % 4999), 'eu-west', 'DE',
           date_trunc('day', now()) - interval '14 days' + (g::float8 / ${n}) * interval '14 days'
    from generate_series(1, ${n}) g`;
  await db.sql`analyze analytics.install_events`;
  const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);
  return { from: day(-15), to: day(1) };
}

export const adminToken = (db: TestDb) => apiKey(db.sql, 'admin');

/** A small HTTP client for the API process. */
export function client(api: Service, token: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
  return {
    call,
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
  };
}

export type ExportRowView = {
  id: string;
  status: string;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  s3_key: string | null;
  sha256: string | null;
  bytes: number | null;
  row_count: number | null;
  rows_written: number;
};

export async function exportRow(db: TestDb, id: string): Promise<ExportRowView> {
  const [row] = await db.sql<ExportRowView[]>`
    select id, status, attempts, error_code, error_message, s3_key, sha256, bytes::int as bytes, row_count::int as row_count, rows_written::int as rows_written
    from app.exports where id = ${id}`;
  if (!row) throw new Error(`no export ${id}`);
  return row;
}

/** Waits until the export leaves queued/running. */
export const settled = (db: TestDb, id: string, timeoutMs = 60_000) =>
  eventually(
    `export ${id} to finish`,
    async () => {
      const row = await exportRow(db, id);
      return ['queued', 'running'].includes(row.status) ? null : row;
    },
    timeoutMs,
    200,
  );

export async function objectExists(storage: Storage, key: string): Promise<boolean> {
  try {
    await storage.client.send(new HeadObjectCommand({ Bucket: storage.bucket, Key: key }));
    return true;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
}

export async function objectSha256(storage: Storage, key: string): Promise<string> {
  const out = await storage.client.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of out.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

/** Every object key under exports/<id>/. */
export async function objectKeys(storage: Storage, exportId: string): Promise<string[]> {
  const out = await storage.client.send(
    new ListObjectsV2Command({ Bucket: storage.bucket, Prefix: `exports/${exportId}/` }),
  );
  return (out.Contents ?? []).map((o) => o.Key!);
}

/** Ids of the exports a worker process logged as succeeded. */
export const succeededIn = (p: Proc): string[] =>
  jsonLogs(p)
    .filter((l) => l.msg === 'export succeeded' && typeof l.exportId === 'string')
    .map((l) => l.exportId as string);
