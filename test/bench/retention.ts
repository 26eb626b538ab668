// Bench: one retention pass over 25+ months holding 5M+ install events, and, on an identical copy of the
// database, a plain `DELETE … WHERE install_date < cutoff` of the same rows, for comparison.
// Standalone: pnpm exec tsx --conditions=source test/bench/retention.ts [--installs N]
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createSql } from '@ax/db';
import { TEST_PG_BASE, TEST_RETENTION_MONTHS, createTestDatabase, prepareTemplate } from '@ax/testing';
import { seed } from '@ax/seed';
import { addMonths, cutoffInstant, monthOf, retentionCutoff, runRetentionPass, utcDay } from '@ax/retention';

export type RetentionBenchOptions = {
  /** Install events to seed, spread evenly from the month before the cutoff's month to today. */
  installs?: number;
  /** The day the pass runs as of (default today, UTC). */
  now?: string;
  batchSize?: number;
  log?: (line: string) => void;
};

export type RetentionBenchResult = {
  installs: number;
  months: number;
  cutoff: string;
  seedSeconds: number;
  pass: {
    seconds: number;
    /** The install_events part of the pass: the like-for-like figure next to the plain DELETE. */
    installEventsSeconds: number;
    installRowsRemoved: number;
    partitionsDropped: number;
    rowsTrimmed: number;
    allRowsRemoved: number;
  };
  plainDelete: { seconds: number; rows: number };
  /** On-disk size of install_events (all partitions, indexes) before and right after, in MiB: no VACUUM run. */
  installEventsMiB: { before: number; afterPass: number; afterPlainDelete: number };
};

const sizeMiB = async (sql: ReturnType<typeof createSql>) => {
  const [row] = await sql<{ bytes: number }[]>`
    select coalesce(sum(pg_total_relation_size(inhrelid)), 0)::int8 as bytes
    from pg_inherits where inhparent = 'analytics.install_events'::regclass`;
  return Math.round(((row?.bytes ?? 0) / 1048576) * 10) / 10;
};

export async function benchRetention(opts: RetentionBenchOptions = {}): Promise<RetentionBenchResult> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const installs = opts.installs ?? 5_200_000;
  const now = opts.now ?? utcDay(new Date());
  const cutoff = retentionCutoff(now, TEST_RETENTION_MONTHS);
  const firstMonth = addMonths(monthOf(cutoff), -1);
  const days = Math.round((Date.parse(`${now}T00:00:00Z`) - Date.parse(`${firstMonth}-01T00:00:00Z`)) / 86_400_000);
  const months = Math.round((days / 365.25) * 12 * 10) / 10;

  await prepareTemplate();
  const db = await createTestDatabase();
  const copyName = `ax_bench_copy_${randomBytes(4).toString('hex')}`;
  const admin = postgres(`${TEST_PG_BASE}/postgres`, { max: 1, onnotice: () => {} });
  let main: ReturnType<typeof createSql> | undefined;
  let copy: ReturnType<typeof createSql> | undefined;
  try {
    for (const t of ['install_events', 'reviews', 'reputation_events'])
      await db.sql`select analytics.ensure_month_partitions(${t}, ${`${firstMonth}-01`}::date, ${`${addMonths(monthOf(now), 3)}-01`}::date)`;
    log(
      `seeding ${installs.toLocaleString('en')} install events over ${days} days (${months} months, from ${firstMonth}-01) …`,
    );
    let t0 = Date.now();
    await seed(db.sql, { installs, reviews: 100_000, reputationEvents: 50_000, days, replace: true, seed: 7 });
    await db.sql`vacuum analyze`;
    const seedSeconds = (Date.now() - t0) / 1000;
    log(`seeded in ${seedSeconds.toFixed(1)} s`);

    // The identical copy: a file-level clone of the seeded database (no connections to it may be open).
    await db.sql.end({ timeout: 5 });
    await admin.unsafe(`create database "${copyName}" template "${db.name}"`);
    main = createSql(db.url, { max: 3, applicationName: 'bench' });
    copy = createSql(`${TEST_PG_BASE}/${copyName}`, { max: 1, applicationName: 'bench' });
    await main`checkpoint`;
    const before = await sizeMiB(main);

    t0 = Date.now();
    const pass = await runRetentionPass(main, {
      retentionMonths: TEST_RETENTION_MONTHS,
      now,
      batchSize: opts.batchSize,
    });
    const passSeconds = (Date.now() - t0) / 1000;
    if (pass.outcome !== 'succeeded') throw new Error(`pass ${pass.outcome}: ${pass.error}`);
    const ie = pass.tables.find((t) => t.table === 'install_events')!;
    const all = pass.tables.reduce((n, t) => n + t.rows_in_dropped_partitions + t.rows_trimmed, 0);
    log(
      `retention pass: ${passSeconds.toFixed(2)} s, of which install_events ${(ie.duration_ms / 1000).toFixed(2)} s ` +
        `(${ie.partitions_dropped.length} partition(s) dropped with ` +
        `${ie.rows_in_dropped_partitions} rows, ${ie.rows_trimmed} rows trimmed; ${all} rows removed in all tables)`,
    );

    t0 = Date.now();
    const deleted = await copy`delete from analytics.install_events where install_date < ${cutoffInstant(cutoff)}`;
    const deleteSeconds = (Date.now() - t0) / 1000;
    const afterPass = await sizeMiB(main);
    const afterPlainDelete = await sizeMiB(copy);
    log(
      `plain DELETE of install_events before ${cutoff} on the copy: ${deleteSeconds.toFixed(2)} s (${deleted.count} rows)`,
    );
    log(
      `install_events on disk: ${before} MiB before, ${afterPass} MiB after the pass, ${afterPlainDelete} MiB after the plain DELETE`,
    );

    return {
      installs,
      months,
      cutoff,
      seedSeconds,
      pass: {
        seconds: passSeconds,
        installEventsSeconds: ie.duration_ms / 1000,
        installRowsRemoved: ie.rows_in_dropped_partitions + ie.rows_trimmed,
        partitionsDropped: pass.tables.reduce((n, t) => n + t.partitions_dropped.length, 0),
        rowsTrimmed: ie.rows_trimmed,
        allRowsRemoved: all,
      },
      plainDelete: { seconds: deleteSeconds, rows: deleted.count },
      installEventsMiB: { before, afterPass, afterPlainDelete },
    };
  } finally {
    await main?.end({ timeout: 5 });
    await copy?.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists "${copyName}" with (force)`).catch(() => {});
    await admin.end();
    await db.drop();
  }
}

if (require.main === module) {
  const i = process.argv.indexOf('--installs');
  const installs = i > 0 ? Number(process.argv[i + 1]) : undefined;
  benchRetention({ installs }).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (err) => {
      process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
      process.exit(1);
    },
  );
}
