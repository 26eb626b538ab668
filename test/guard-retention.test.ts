// Retention guard rails (CONTRACT §6.6, issue 14): a short RETENTION_MONTHS stops a process at start, "today" comes
// from PostgreSQL, a worker clock that disagrees with PostgreSQL's refuses the pass, and only partitions a pass
// detached itself are ever dropped.
import { ConfigError, loadConfig } from '@ax/config';
import { apiConfigShape } from '@ax/api';
import { exportWorkerEnv } from '@ax/export-worker';
import { createLogger } from '@ax/runtime';
import { basicMarketplace, createTestDatabase, TEST_RETENTION_MONTHS, type TestDb } from '@ax/testing';
import { runRetentionPass } from '@ax/retention';
import { retentionWorkerEnv, runRetentionJob } from '@ax/retention-worker';
import type { JobContext } from '@ax/jobs';
import { eventsAt, installTags, resetPartitions } from './support/retention-fixtures';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDatabase();
  await basicMarketplace(db.sql);
});
afterAll(() => db.drop());

const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
const ctx = (): JobContext => ({
  logger,
  signal: new AbortController().signal,
  stopping: new AbortController().signal,
  jobId: 'test',
  attempt: 1,
  finalAttempt: false,
  scheduledAt: new Date(),
});
const month = (d: Date) => d.toISOString().slice(0, 7);
const monthsAgo = (n: number) => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d;
};

describe('RETENTION_MONTHS below 24', () => {
  it.each([
    ['retention worker', retentionWorkerEnv],
    ['export worker', exportWorkerEnv],
    ['api', apiConfigShape],
  ] as const)('stops the %s at start unless RETENTION_ALLOW_SHORTER=true', (_name, shape) => {
    const err = (() => {
      try {
        loadConfig(shape, { RETENTION_MONTHS: '1' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.join('\n')).toMatch(/RETENTION_MONTHS.*RETENTION_ALLOW_SHORTER=true/);
    expect(loadConfig(shape, { RETENTION_MONTHS: '1', RETENTION_ALLOW_SHORTER: 'true' }).RETENTION_MONTHS).toBe(1);
    expect(loadConfig(shape, { RETENTION_MONTHS: '36' }).RETENTION_MONTHS).toBe(36);
  });
});

describe('clocks', () => {
  beforeEach(async () => {
    await resetPartitions(db.sql, month(monthsAgo(30)), month(monthsAgo(-3)));
    // 20 months old: inside retention today, outside it for a clock a year fast.
    await eventsAt(db.sql, monthsAgo(20).toISOString(), 'twenty-months');
    await eventsAt(db.sql, new Date().toISOString(), 'today');
  });

  it('a worker clock a year ahead of PostgreSQL: the pass is recorded refused and nothing is deleted', async () => {
    const yearAhead = () => new Date(Date.now() + 365 * 86400_000);
    // The job fails (visible, retried with backoff) rather than pass as if nothing were wrong.
    await expect(
      runRetentionJob(
        {},
        { sql: db.sql, clock: yearAhead, pass: { retentionMonths: TEST_RETENTION_MONTHS, retryDelayMs: 10 } },
        ctx(),
      ),
    ).rejects.toThrow(/refused.*clock/);
    expect(await installTags(db.sql)).toEqual(['today', 'twenty-months']);
    const passes = await db.sql<{ outcome: string; error: string }[]>`select outcome, error from app.retention_passes`;
    expect(passes).toHaveLength(1);
    expect(passes[0]!.outcome).toBe('refused');
    expect(passes[0]!.error).toMatch(/clock/);
  });

  it("a clock within 5 minutes runs the pass as of PostgreSQL's day", async () => {
    const result = await runRetentionJob(
      {},
      {
        sql: db.sql,
        clock: () => new Date(Date.now() + 60_000),
        pass: { retentionMonths: TEST_RETENTION_MONTHS, retryDelayMs: 10 },
      },
      ctx(),
    );
    expect(result.outcome).toBe('succeeded');
    const [row] = await db.sql<{ today: string }[]>`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD') as today`;
    expect(result.now).toBe(row!.today);
    expect(await installTags(db.sql)).toEqual(['today', 'twenty-months']);
  });
});

describe('detached tables', () => {
  it('a table an operator detached on purpose is kept; one the pass detached is dropped', async () => {
    await resetPartitions(db.sql, '2024-01', '2026-12');
    await eventsAt(db.sql, '2024-02-10T00:00:00Z', 'feb');
    await eventsAt(db.sql, '2024-03-10T00:00:00Z', 'mar');
    // The operator keeps February aside (e.g. for a legal hold).
    await db.sql`alter table analytics.install_events detach partition analytics.install_events_p2024_02`;
    const result = await runRetentionPass(db.sql, {
      retentionMonths: TEST_RETENTION_MONTHS,
      now: '2026-11-27',
      lockTimeoutMs: 200,
      retryDelayMs: 10,
    });
    expect(result.outcome).toBe('succeeded');
    const kept = await db.sql`select tenant_id from analytics.install_events_p2024_02`;
    expect(kept).toEqual([{ tenant_id: 'feb' }]);
    const dropped = result.tables.find((t) => t.table === 'install_events')!.partitions_dropped;
    expect(dropped).toContain('install_events_p2024_03');
    expect(dropped).not.toContain('install_events_p2024_02');
    expect(await installTags(db.sql)).toEqual([]);
  });

  it('a month the pass detached but did not drop (interrupted) is dropped by the next pass', async () => {
    await resetPartitions(db.sql, '2024-01', '2026-12');
    await eventsAt(db.sql, '2024-03-10T00:00:00Z', 'mar');
    // What a pass records right before its DETACH; then the process dies before the DROP.
    await db.sql`insert into app.retention_detached (table_name, parent) values ('install_events_p2024_03', 'install_events')`;
    await db.sql`alter table analytics.install_events detach partition analytics.install_events_p2024_03`;
    const result = await runRetentionPass(db.sql, {
      retentionMonths: TEST_RETENTION_MONTHS,
      now: '2026-11-27',
      lockTimeoutMs: 200,
      retryDelayMs: 10,
    });
    expect(result.tables.find((t) => t.table === 'install_events')!.partitions_dropped).toContain(
      'install_events_p2024_03',
    );
    const left = await db.sql`select 1 from pg_class where relname = 'install_events_p2024_03'`;
    expect(left).toHaveLength(0);
    expect(await db.sql`select 1 from app.retention_detached`).toHaveLength(0);
  });
});
