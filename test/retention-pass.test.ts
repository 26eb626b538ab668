// The retention pass on the real PostgreSQL: what goes and what stays at the cutoff, partitions dropped
// versus trimmed, future partitions, reruns, dry runs, failures and leftovers. Every pass runs "as of" a fixed day.
import { basicMarketplace, createTestDatabase, TEST_RETENTION_MONTHS, type TestDb } from '@ax/testing';
import { monthRange, runRetentionPass, type PassResult, type TableOutcome } from '@ax/retention';
import {
  eventsAt,
  installTags,
  partitionMonths,
  plainDays,
  plainRowsOn,
  resetPartitions,
} from './support/retention-fixtures';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDatabase();
  await basicMarketplace(db.sql);
});
afterAll(() => db.drop());

const table = (r: PassResult, name: string): TableOutcome => {
  const t = r.tables.find((x) => x.table === name);
  if (!t) throw new Error(`no outcome for ${name}`);
  return t;
};
const fast = { lockTimeoutMs: 200, retryDelayMs: 20 };

describe('a pass as of 2026-11-27 (cutoff 2024-11-27)', () => {
  let first: PassResult;
  beforeAll(async () => {
    await resetPartitions(db.sql, '2024-09', '2026-12');
    await eventsAt(db.sql, '2024-09-01T00:00:00Z', 'sep-first');
    await eventsAt(db.sql, '2024-10-31T23:59:59Z', 'oct-last');
    await eventsAt(db.sql, '2024-11-01T00:00:00Z', 'nov-first');
    await eventsAt(db.sql, '2024-11-26T23:59:59Z', 'one-second-before');
    await eventsAt(db.sql, '2024-11-27T00:00:00Z', 'at-cutoff');
    await eventsAt(db.sql, '2024-11-30T23:59:59Z', 'nov-last');
    await eventsAt(db.sql, '2026-11-27T02:00:00Z', 'today');
    for (const day of ['2024-10-31', '2024-11-26', '2024-11-27', '2025-06-01']) await plainRowsOn(db.sql, day);
    first = await runRetentionPass(db.sql, { retentionMonths: TEST_RETENTION_MONTHS, now: '2026-11-27', ...fast });
  });

  it('deletes rows one second before the cutoff and keeps rows exactly at it', async () => {
    expect(first.outcome).toBe('succeeded');
    expect(first.cutoff).toBe('2024-11-27');
    expect(await installTags(db.sql)).toEqual(['at-cutoff', 'nov-last', 'today']);
    for (const t of ['reviews', 'reputation_events']) {
      const col = t === 'reviews' ? 'review_date' : 'event_date';
      const rows = await db.sql<{ at: string }[]>`
        select to_char(${db.sql(col)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as at from ${db.sql(`analytics.${t}`)} order by 1`;
      expect(rows.map((r) => r.at)).toEqual(['2024-11-27T00:00:00', '2024-11-30T23:59:59', '2026-11-27T02:00:00']);
    }
    for (const [t, col] of [
      ['version_adoption_snapshots', 'snapshot_date'],
      ['marketplace_daily_summary', 'summary_date'],
      ['publisher_leaderboard_snapshots', 'snapshot_date'],
    ] as const) {
      expect(await plainDays(db.sql, t, col)).toEqual(['2024-11-27', '2025-06-01']);
    }
  });

  it('drops whole months before the cutoff, trims the boundary month, and creates three months ahead', async () => {
    for (const t of ['install_events', 'reviews', 'reputation_events']) {
      expect(table(first, t)).toEqual({
        table: t,
        partitioned: true,
        partitions_dropped: [`${t}_p2024_09`, `${t}_p2024_10`],
        rows_in_dropped_partitions: 2,
        rows_trimmed: 2,
        partitions_created: [`${t}_p2027_01`, `${t}_p2027_02`],
        error: null,
        duration_ms: expect.any(Number),
      });
      expect(await partitionMonths(db.sql, t)).toEqual(monthRange('2024-11', '2027-02'));
    }
    expect(table(first, 'version_adoption_snapshots')).toMatchObject({
      partitioned: false,
      rows_trimmed: 2,
      partitions_dropped: [],
    });
    expect(table(first, 'marketplace_daily_summary').rows_trimmed).toBe(2);
    expect(table(first, 'publisher_leaderboard_snapshots').rows_trimmed).toBe(2);
    // The dropped partitions are gone as tables, not merely detached.
    const [left] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from pg_class where relname ~ '_p2024_(09|10)$'`;
    expect(left?.n).toBe(0);
  });

  it('records the pass with its cutoff, per-table figures, duration and outcome', async () => {
    const [row] = await db.sql`select * from app.retention_passes where id = ${first.id}`;
    expect(row).toMatchObject({ outcome: 'succeeded', dry_run: false, error: null });
    expect(row!.cutoff).toEqual(new Date('2024-11-27T00:00:00Z'));
    expect(row!.finished_at).toBeInstanceOf(Date);
    expect(row!.details).toMatchObject({ now: '2026-11-27', retention_months: 24, tables: first.tables });
    expect(typeof row!.details.duration_ms).toBe('number');
  });

  it('is a no-op when run again', async () => {
    const again = await runRetentionPass(db.sql, {
      retentionMonths: TEST_RETENTION_MONTHS,
      now: '2026-11-27',
      ...fast,
    });
    expect(again.outcome).toBe('succeeded');
    for (const t of again.tables) {
      expect(t).toMatchObject({
        partitions_dropped: [],
        rows_in_dropped_partitions: 0,
        rows_trimmed: 0,
        partitions_created: [],
        error: null,
      });
    }
    expect(await installTags(db.sql)).toEqual(['at-cutoff', 'nov-last', 'today']);
  });
});

describe('cutoff on the first of a month', () => {
  it('drops the month that ends at the cutoff and trims nothing', async () => {
    await resetPartitions(db.sql, '2024-10', '2027-03');
    await eventsAt(db.sql, '2024-11-30T23:59:59Z', 'nov-last');
    await eventsAt(db.sql, '2024-12-01T00:00:00Z', 'dec-first');
    const r = await runRetentionPass(db.sql, { retentionMonths: TEST_RETENTION_MONTHS, now: '2026-12-01', ...fast });
    expect(r.cutoff).toBe('2024-12-01');
    expect(table(r, 'install_events')).toMatchObject({
      partitions_dropped: ['install_events_p2024_10', 'install_events_p2024_11'],
      rows_in_dropped_partitions: 1,
      rows_trimmed: 0,
      partitions_created: [],
    });
    expect(await installTags(db.sql)).toEqual(['dec-first']);
  });
});

describe('leap days and month ends', () => {
  it('from 2028-02-29 keeps 2026-02-28 onwards (clamped) and deletes 2026-02-27', async () => {
    await resetPartitions(db.sql, '2026-01', '2028-05');
    await eventsAt(db.sql, '2026-02-27T23:59:59Z', 'feb27-last-second');
    await eventsAt(db.sql, '2026-02-28T00:00:00Z', 'feb28-midnight');
    await plainRowsOn(db.sql, '2026-02-27');
    await plainRowsOn(db.sql, '2026-02-28');
    const r = await runRetentionPass(db.sql, { retentionMonths: TEST_RETENTION_MONTHS, now: '2028-02-29', ...fast });
    expect(r.cutoff).toBe('2026-02-28');
    expect(table(r, 'install_events')).toMatchObject({
      partitions_dropped: ['install_events_p2026_01'],
      rows_trimmed: 1,
    });
    expect(await installTags(db.sql)).toEqual(['feb28-midnight']);
    expect(await plainDays(db.sql, 'marketplace_daily_summary', 'summary_date')).toEqual(['2026-02-28']);
  });

  it('from 2026-03-31 keeps 2024-03-31 and deletes 2024-03-30', async () => {
    await resetPartitions(db.sql, '2024-02', '2026-06');
    await eventsAt(db.sql, '2024-02-29T12:00:00Z', 'leap-day');
    await eventsAt(db.sql, '2024-03-30T23:59:59Z', 'mar30-last-second');
    await eventsAt(db.sql, '2024-03-31T00:00:00Z', 'mar31-midnight');
    const r = await runRetentionPass(db.sql, { retentionMonths: TEST_RETENTION_MONTHS, now: '2026-03-31', ...fast });
    expect(r.cutoff).toBe('2024-03-31');
    expect(table(r, 'install_events')).toMatchObject({
      partitions_dropped: ['install_events_p2024_02'],
      rows_in_dropped_partitions: 1,
      rows_trimmed: 1,
    });
    expect(await installTags(db.sql)).toEqual(['mar31-midnight']);
  });
});

describe('dry run', () => {
  it('reports what would go and deletes nothing', async () => {
    await resetPartitions(db.sql, '2024-09', '2026-12');
    await eventsAt(db.sql, '2024-09-10T00:00:00Z', 'sep');
    await eventsAt(db.sql, '2024-11-26T23:59:59Z', 'one-second-before');
    await eventsAt(db.sql, '2024-11-27T00:00:00Z', 'at-cutoff');
    await plainRowsOn(db.sql, '2024-11-26');
    const r = await runRetentionPass(db.sql, {
      retentionMonths: TEST_RETENTION_MONTHS,
      now: '2026-11-27',
      dryRun: true,
    });
    expect(r).toMatchObject({ outcome: 'succeeded', dryRun: true, cutoff: '2024-11-27' });
    expect(table(r, 'install_events')).toEqual({
      table: 'install_events',
      partitioned: true,
      partitions_dropped: ['install_events_p2024_09', 'install_events_p2024_10'],
      rows_in_dropped_partitions: 1,
      rows_trimmed: 1,
      partitions_created: ['install_events_p2027_01', 'install_events_p2027_02'],
      error: null,
      duration_ms: expect.any(Number),
    });
    expect(table(r, 'marketplace_daily_summary').rows_trimmed).toBe(1);
    expect(await installTags(db.sql)).toEqual(['at-cutoff', 'one-second-before', 'sep']);
    expect(await partitionMonths(db.sql, 'install_events')).toEqual(monthRange('2024-09', '2026-12'));
    expect(await plainDays(db.sql, 'marketplace_daily_summary', 'summary_date')).toEqual(['2024-11-26']);
    const [row] = await db.sql`select dry_run, outcome from app.retention_passes where id = ${r.id}`;
    expect(row).toEqual({ dry_run: true, outcome: 'succeeded' });
  });
});

describe('locks and concurrency', () => {
  it('skips (and records) a pass while another one holds the lock', async () => {
    await resetPartitions(db.sql, '2024-09', '2027-02');
    await eventsAt(db.sql, '2024-09-10T00:00:00Z', 'sep');
    const other = await db.sql.reserve();
    try {
      await other`select pg_advisory_lock(hashtextextended('ax.retention-pass', 0))`;
      const r = await runRetentionPass(db.sql, { retentionMonths: TEST_RETENTION_MONTHS, now: '2026-11-27', ...fast });
      expect(r.outcome).toBe('skipped');
      expect(r.tables).toEqual([]);
      const [row] = await db.sql`select outcome, error from app.retention_passes where id = ${r.id}`;
      expect(row).toEqual({ outcome: 'skipped', error: 'another retention pass holds the lock' });
      expect(await installTags(db.sql)).toEqual(['sep']);
    } finally {
      await other`select pg_advisory_unlock_all()`;
      other.release();
    }
  });

  it('never blocks inserts behind its DDL, and a second pass meanwhile is skipped', async () => {
    await resetPartitions(db.sql, '2024-09', '2027-02');
    await eventsAt(db.sql, '2024-09-10T00:00:00Z', 'sep');
    await eventsAt(db.sql, '2024-11-26T00:00:00Z', 'boundary-old');
    // A long export: an open transaction that has read the table, so it holds ACCESS SHARE on every partition.
    const reader = await db.sql.reserve();
    const writer = await db.sql.reserve();
    let settled = false;
    try {
      await reader`begin`;
      await reader`select count(*) from analytics.install_events`;
      const pass = runRetentionPass(db.sql, {
        retentionMonths: TEST_RETENTION_MONTHS,
        now: '2026-11-27',
        lockTimeoutMs: 100,
        retryDelayMs: 50,
        lockAttempts: 1000,
      });
      void pass.finally(() => (settled = true));

      // Wait until the pass has detached install_events_p2024_09 half-way and is waiting for the reader.
      await until(async () => {
        const [row] = await db.sql`
          select 1 from pg_inherits where inhrelid = 'analytics.install_events_p2024_09'::regclass and inhdetachpending`;
        return Boolean(row);
      });
      // Inserts (today's data and the boundary month) go straight through; a bound keeps a regression from hanging.
      await writer`set statement_timeout = '10s'`;
      await writer`insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
                   values ('pkg-a1', '1', 'inserted-during-pass', 'eu-west', 'DE', '2026-11-27T01:00:00Z'),
                          ('pkg-a1', '1', 'boundary-during-pass', 'eu-west', 'DE', '2024-11-28T00:00:00Z')`;
      expect(settled).toBe(false);

      const second = await runRetentionPass(db.sql, {
        retentionMonths: TEST_RETENTION_MONTHS,
        now: '2026-11-27',
        ...fast,
      });
      expect(second.outcome).toBe('skipped');
      expect(settled).toBe(false);

      await reader`commit`;
      const r = await pass;
      expect(r.outcome).toBe('succeeded');
      expect(table(r, 'install_events').partitions_dropped).toEqual([
        'install_events_p2024_09',
        'install_events_p2024_10',
      ]);
      expect(await installTags(db.sql)).toEqual(['boundary-during-pass', 'inserted-during-pass']);
    } finally {
      await reader`rollback`.catch(() => {});
      reader.release();
      writer.release();
      await until(async () => settled);
    }
  });

  it('gives a table up after its lock attempts, records the failure, does the other tables, and the next pass finishes', async () => {
    await resetPartitions(db.sql, '2024-09', '2027-02');
    await eventsAt(db.sql, '2024-09-10T00:00:00Z', 'sep');
    const reader = await db.sql.reserve();
    try {
      await reader`begin`;
      await reader`select count(*) from analytics.install_events`;
      const r = await runRetentionPass(db.sql, {
        retentionMonths: TEST_RETENTION_MONTHS,
        now: '2026-11-27',
        lockTimeoutMs: 50,
        retryDelayMs: 10,
        lockAttempts: 2,
      });
      expect(r.outcome).toBe('failed');
      expect(r.error).toMatch(
        /^install_events: detach install_events_p2024_09: still locked by other sessions after 2 attempts/,
      );
      expect(table(r, 'install_events').partitions_created).toEqual([]);
      expect(table(r, 'reviews')).toMatchObject({
        partitions_dropped: ['reviews_p2024_09', 'reviews_p2024_10'],
        error: null,
      });
      const [row] = await db.sql`select outcome, error from app.retention_passes where id = ${r.id}`;
      expect(row).toEqual({ outcome: 'failed', error: r.error });
    } finally {
      await reader`rollback`;
      reader.release();
    }
    // The interrupted DETACH CONCURRENTLY left the partition pending: the next pass finalizes and drops it.
    const next = await runRetentionPass(db.sql, { retentionMonths: TEST_RETENTION_MONTHS, now: '2026-11-27', ...fast });
    expect(next.outcome).toBe('succeeded');
    expect(table(next, 'install_events')).toMatchObject({
      partitions_dropped: ['install_events_p2024_09', 'install_events_p2024_10'],
      rows_in_dropped_partitions: 1,
    });
    expect(await installTags(db.sql)).toEqual([]);
  });

  it('drops a month an earlier pass detached but never dropped, and fails passes that never finished', async () => {
    await resetPartitions(db.sql, '2024-09', '2027-02');
    await eventsAt(db.sql, '2024-09-10T00:00:00Z', 'sep');
    // The pass records the partition right before its DETACH (only recorded tables are dropped as leftovers).
    await db.sql`insert into app.retention_detached (table_name, parent) values ('install_events_p2024_09', 'install_events')`;
    await db.sql`alter table analytics.install_events detach partition analytics.install_events_p2024_09`;
    const [stale] = await db.sql<{ id: string }[]>`
      insert into app.retention_passes (cutoff) values ('2024-11-26') returning id`;
    const r = await runRetentionPass(db.sql, { retentionMonths: TEST_RETENTION_MONTHS, now: '2026-11-27', ...fast });
    expect(table(r, 'install_events')).toMatchObject({
      partitions_dropped: ['install_events_p2024_09', 'install_events_p2024_10'],
      rows_in_dropped_partitions: 1,
    });
    const [left] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from pg_class where relname = 'install_events_p2024_09'`;
    expect(left?.n).toBe(0);
    const [row] = await db.sql`select outcome, error from app.retention_passes where id = ${stale!.id}`;
    expect(row).toEqual({ outcome: 'failed', error: 'interrupted: the process ended during the pass' });
  });
});

describe('shutdown', () => {
  it('stops a pass waiting for a lock when aborted, and records it as failed', async () => {
    await resetPartitions(db.sql, '2024-09', '2027-02');
    await eventsAt(db.sql, '2024-09-10T00:00:00Z', 'sep');
    const reader = await db.sql.reserve();
    const abort = new AbortController();
    try {
      await reader`begin`;
      await reader`select count(*) from analytics.install_events`;
      const pass = runRetentionPass(db.sql, {
        retentionMonths: TEST_RETENTION_MONTHS,
        now: '2026-11-27',
        lockTimeoutMs: 50,
        retryDelayMs: 20,
        lockAttempts: 100_000,
        signal: abort.signal,
      });
      await until(async () => {
        const [row] = await db.sql`select 1 from app.retention_passes where outcome = 'running'`;
        return Boolean(row);
      });
      abort.abort();
      const r = await pass;
      expect(r.outcome).toBe('failed');
      expect(r.tables.map((t) => t.error)).toEqual(Array(6).fill('retention pass aborted (shutdown)'));
      const [row] = await db.sql`select outcome from app.retention_passes where id = ${r.id}`;
      expect(row).toEqual({ outcome: 'failed' });
    } finally {
      await reader`rollback`;
      reader.release();
    }
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
