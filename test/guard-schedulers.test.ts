// Issue 14, finding 8: the daily retention scheduler and the hourly export-file expiry survive a Redis that lost its
// data (every replica re-declares them periodically), and a missed run is caught up at once from PostgreSQL's record.
import type { Redis } from 'ioredis';
import { workerConnection } from '@ax/jobs';
import { createLogger } from '@ax/runtime';
import {
  REDIS_URL,
  TEST_RETENTION_MONTHS,
  basicMarketplace,
  createTestDatabase,
  testStorage,
  obliterate,
  uniquePrefix,
  type TestDb,
} from '@ax/testing';
import {
  bootRetentionWorker,
  EXPIRY_SCHEDULER_ID,
  RETENTION_SCHEDULER_ID,
  type RetentionReplica,
} from '@ax/retention-worker';

let db: TestDb;
let connection: Redis;
let replica: RetentionReplica;
const prefix = uniquePrefix('keep');
const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

beforeAll(async () => {
  db = await createTestDatabase();
  await basicMarketplace(db.sql);
  // Yesterday's pass ran; the last one is 30 hours old by now.
  await db.sql`insert into app.retention_passes (cutoff, outcome, started_at, finished_at)
               values (current_date - interval '24 months', 'succeeded', now() - interval '30 hours', now() - interval '30 hours')`;
});
afterAll(async () => {
  await replica?.close();
  await deleteKeys();
  connection?.disconnect();
  await db.drop();
});

/** Deletes this test's own BullMQ keys, as a Redis restart without persistence would (nobody else's). */
async function deleteKeys() {
  const redis = workerConnection(REDIS_URL);
  try {
    await obliterate(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

async function eventually<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const recentPasses = async () =>
  (
    await db.sql<
      { n: number }[]
    >`select count(*)::int as n from app.retention_passes where started_at > now() - interval '1 hour' and not dry_run`
  )[0]!.n;

it('a missed day is caught up at once, and the scheduler comes back after its Redis keys are deleted', async () => {
  connection = workerConnection(REDIS_URL);
  replica = await bootRetentionWorker(
    {
      sql: db.sql,
      pass: { retentionMonths: TEST_RETENTION_MONTHS, retryDelayMs: 10, lockTimeoutMs: 200 },
      expiry: { storage: await testStorage(), ttlDays: 30 },
    },
    { connection, prefix, logger, enabled: true, reconcileIntervalMs: 500 },
  );
  // The last pass is 30 hours old: one runs now, without waiting for 03:00.
  await eventually('a catch-up pass', async () => (await recentPasses()) >= 1);
  expect(await recentPasses()).toBe(1);
  // No file sweep was ever recorded: one runs now too.
  await eventually(
    'a file sweep',
    async () => (await db.sql`select 1 from app.maintenance_runs where job = 'export-file-expiry'`).length > 0,
  );

  // (No check that they are gone: the keeper, every 500 ms here, may already have declared them again.)
  await deleteKeys();
  const schedulers = await eventually(
    'the schedulers again',
    async () => {
      const s = await replica.queues.retention.getJobSchedulers();
      return s.length === 2 ? s : null;
    },
    5000,
  );
  expect(schedulers).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ key: RETENTION_SCHEDULER_ID, pattern: '0 3 * * *', tz: 'UTC' }),
      expect.objectContaining({ key: EXPIRY_SCHEDULER_ID, name: 'files.expire', tz: 'UTC' }),
    ]),
  );
  // A pass ran within the last hour: no second catch-up.
  await new Promise((r) => setTimeout(r, 1500));
  expect(await recentPasses()).toBe(1);
});
