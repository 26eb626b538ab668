// What the benches run against: the API in this process on a free port, export workers spawned as production runs
// them, both on the bench's own database and queue prefix with the local S3 emulator; and the CPU of PostgreSQL,
// Redis and the S3 emulator.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { join } from 'node:path';
import { buildApp } from '@ax/api';
import { createQueues, producerConnection } from '@ax/jobs';
import { createLogger } from '@ax/runtime';
import { REDIS_URL, TEST_RETENTION_MONTHS, testStorage, testStorageConfig, type TestDb } from '@ax/testing';
import { productionStart } from '../support/package-scripts';
import { statCpuSeconds } from './baselines';
import { cpuSeconds, exportWorkerArgv, freePort, listeningPid, waitHttp } from './processes';

export const ROOT = join(__dirname, '..', '..');

/** The API's URL, and its Redis connection (the benches read Redis' CPU through it). */
export type BenchApi = { url: string; redis: Redis; close(): Promise<void> };

/** The API, in this process, on the bench's database and queue prefix. */
export async function startBenchApi(
  db: TestDb,
  prefix: string,
  limits?: Parameters<typeof buildApp>[0]['limits'],
): Promise<BenchApi> {
  const redis = producerConnection(REDIS_URL);
  const queues = createQueues(redis, prefix);
  const server = buildApp({
    sql: db.sql,
    redis,
    queues,
    storage: await testStorage(),
    logger: createLogger('bench', 'silent'),
    limits,
    retentionMonths: TEST_RETENTION_MONTHS,
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    redis,
    async close() {
      server.close();
      await queues.close();
      redis.disconnect();
    },
  };
}

/**
 * An export worker's environment in a bench: the bench's database, queue prefix and S3 emulator, no reconcile
 * rounds, and production's glibc malloc settings, read from `pnpm start:export-worker` (productionStart), unless the
 * bench's own environment sets them. Production's Node flags go on the command line (exportWorkerArgv), as V8 flags
 * such as --heap-growing-percent are refused in NODE_OPTIONS. `extra` adds or replaces variables.
 */
export function benchWorkerEnv(db: TestDb, prefix: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const production = productionStart('export-worker');
  return {
    ...production.env,
    ...process.env,
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    S3_ENDPOINT: testStorageConfig.S3_ENDPOINT,
    S3_BUCKET: testStorageConfig.S3_BUCKET,
    REPORT_RECONCILE_INTERVAL_MS: '3600000',
    NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? '',
    ...extra,
  };
}

/** Starts an export worker as the benches run it (exportWorkerArgv) on a free metrics port; resolves once it is ready. */
export async function startBenchWorker(
  env: NodeJS.ProcessEnv,
  stdio: StdioOptions = ['ignore', 'ignore', 'inherit'],
): Promise<ChildProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, await exportWorkerArgv(), {
    cwd: ROOT,
    stdio,
    env: { ...env, METRICS_PORT: String(port) },
  });
  try {
    await waitHttp(`http://127.0.0.1:${port}/readyz`);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return child;
}

/** Redis' CPU seconds so far (INFO cpu). */
export async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return field('used_cpu_sys') + field('used_cpu_user');
}

/** CPU seconds so far of the local S3 emulator (the process on S3_ENDPOINT's port); 0 when it is not found. */
export async function storageEmulatorCpu(): Promise<number> {
  const pid = await listeningPid(Number(new URL(testStorageConfig.S3_ENDPOINT).port));
  return pid === null ? 0 : cpuSeconds(pid).catch(() => 0);
}

/** CPU so far of the database's backends (those of `applicationNames` only, when given), by pid. */
export async function backendCpu(db: TestDb, applicationNames?: string[]): Promise<Map<number, number>> {
  const rows = await db.sql<{ pid: number; stat: string }[]>`
    select pid, pg_read_file('/proc/' || pid || '/stat') as stat from pg_stat_activity
    where datname = current_database()
      ${applicationNames ? db.sql`and application_name = any(${applicationNames})` : db.sql``}`;
  return new Map(rows.map((r) => [r.pid, statCpuSeconds(r.stat)]));
}

/** CPU seconds the backends used between two backendCpu readings (backends started since count from zero). */
export const backendCpuSince = (before: Map<number, number>, after: Map<number, number>): number =>
  [...after].reduce((sum, [pid, cpu]) => sum + cpu - (before.get(pid) ?? 0), 0);
