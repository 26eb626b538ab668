// The retention worker on real Redis and PostgreSQL: the daily scheduler declared once however many replicas
// boot, jobs running passes, a refused future day, and a failing pass left for BullMQ to retry.
import type { Redis } from 'ioredis';
import { enqueue, workerConnection, type Queues } from '@ax/jobs';
import { createLogger } from '@ax/runtime';
import { REDIS_URL, TEST_RETENTION_MONTHS, createTestDatabase, uniquePrefix, type TestDb } from '@ax/testing';
import { bootRetentionWorker, RETENTION_SCHEDULER_ID, type RetentionReplica } from '@ax/retention-worker';
import { eventsAt, installTags, resetPartitions } from './support/retention-fixtures';

let db: TestDb;
const prefix = uniquePrefix('ret');
const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
const connections: Redis[] = [];
const replicas: RetentionReplica[] = [];

async function boot(pass: { lockTimeoutMs?: number; lockAttempts?: number } = {}): Promise<RetentionReplica> {
  const connection = workerConnection(REDIS_URL);
  connections.push(connection);
  const replica = await bootRetentionWorker(
    { sql: db.sql, pass: { retentionMonths: TEST_RETENTION_MONTHS, retryDelayMs: 10, ...pass } },
    { connection, prefix, logger, enabled: true },
  );
  await replica.worker!.waitUntilReady();
  replicas.push(replica);
  return replica;
}

async function settle(queues: Queues, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queues.retention.getJobState(id);
    // Read the job after its state: a job read first may still show the attempt in progress.
    const job = await queues.retention.getJob(id);
    if (job && ['completed', 'failed', 'delayed'].includes(state) && (state !== 'delayed' || job.attemptsMade > 0))
      return { job, state };
    if (Date.now() > deadline) throw new Error(`job ${id} still ${state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const r of replicas) await r.close();
  const q = replicas[0]?.queues;
  if (q) await q.retention.obliterate({ force: true }).catch(() => {});
  for (const c of connections) c.disconnect();
  await db.drop();
});

describe('the daily scheduler', () => {
  it('is declared once, at 03:00 UTC, however many replicas boot', async () => {
    const a = await boot();
    await boot();
    const schedulers = await a.queues.retention.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({
      key: RETENTION_SCHEDULER_ID,
      name: 'retention.run',
      pattern: '0 3 * * *',
      tz: 'UTC',
    });
    const next = new Date(schedulers[0]!.next!);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([3, 0]);
  });
});

describe('retention.run jobs', () => {
  beforeEach(async () => {
    await resetPartitions(db.sql, '2024-09', '2027-02');
    await eventsAt(db.sql, '2024-09-10T00:00:00Z', 'sep');
    await eventsAt(db.sql, '2024-11-27T00:00:00Z', 'at-cutoff');
  });

  it('run a recorded pass as of the requested day', async () => {
    const { queues } = replicas[0]!;
    const id = await enqueue(queues, 'retention.run', { now: '2026-11-27' });
    const { state } = await settle(queues, id);
    expect(state).toBe('completed');
    expect(await installTags(db.sql)).toEqual(['at-cutoff']);
    const passes = await db.sql`select outcome, to_char(cutoff, 'YYYY-MM-DD') as cutoff from app.retention_passes`;
    expect(passes).toEqual([{ outcome: 'succeeded', cutoff: '2024-11-27' }]);
  });

  it('refuse a future day at once, without retries, deleting nothing', async () => {
    const { queues } = replicas[0]!;
    const id = await enqueue(queues, 'retention.run', { now: '2999-01-01' });
    const { job, state } = await settle(queues, id);
    expect(state).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/after today/);
    expect(await installTags(db.sql)).toEqual(['at-cutoff', 'sep']);
  });

  it('fail visibly and stay queued for a retry when a table cannot be locked', async () => {
    const r = await boot({ lockTimeoutMs: 50, lockAttempts: 1 });
    // Only this replica may take the job: pause the others' workers.
    for (const other of replicas) if (other !== r) await other.worker!.pause();
    const reader = await db.sql.reserve();
    try {
      await reader`begin`;
      await reader`select count(*) from analytics.install_events`;
      const id = await enqueue(r.queues, 'retention.run', { now: '2026-11-27' });
      const { job, state } = await settle(r.queues, id);
      expect(state).toBe('delayed'); // backoff before the next attempt
      expect(job.failedReason).toMatch(/retention pass .* failed: install_events: detach install_events_p2024_09/);
      const [pass] = await db.sql`select outcome from app.retention_passes order by started_at desc limit 1`;
      expect(pass).toEqual({ outcome: 'failed' });
      await job.remove();
    } finally {
      await reader`rollback`;
      reader.release();
      for (const other of replicas) await other.worker!.resume();
    }
  });
});
