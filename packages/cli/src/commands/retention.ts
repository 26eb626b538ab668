// `retention run` (a pass as of a day, or a dry run) and `retention history` (the recorded passes).
import { loadConfig, retentionPassEnv } from '@ax/config';
import {
  databaseNow,
  listPasses,
  passDay,
  passOptionsFrom,
  rowsDeleted,
  runRetentionPass,
  type PassResult,
  type TableOutcome,
} from '@ax/retention';
import { intOption, UsageError, type Command, type Io } from '../command';
import { withDb } from '../db';

/** Exit status when another pass holds the lock (EX_TEMPFAIL: try again later). */
const SKIPPED_EXIT = 75;

export const retentionRunCommand: Command = {
  path: ['retention', 'run'],
  summary: 'Delete analytics data older than RETENTION_MONTHS (default 24) as of --now and print what went, per table',
  usage:
    'pnpm --silent cli retention run [--now YYYY-MM-DD] [--dry-run]\n\n' +
    '  --now      run as if today (UTC) were this day; default today. Later days only with --dry-run.\n' +
    '  --dry-run  compute and print what would be deleted; delete nothing.\n\n' +
    `Exit status: 0 done, 1 a table could not be completed or the pass was refused (clocks differ; see stderr),\n` +
    `2 a --now later than today (PostgreSQL's) without --dry-run, ${SKIPPED_EXIT} another pass is running.`,
  options: { now: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run(v, io) {
    const dryRun = Boolean(v['dry-run']);
    const pass = passOptionsFrom(loadConfig(retentionPassEnv, io.env));
    return withDb(io.env, async (sql) => {
      // "Today" is PostgreSQL's, as for the worker; this machine's clock is only checked against it by the pass.
      let now: string;
      try {
        now = passDay(v.now as string | undefined, await databaseNow(sql), dryRun);
      } catch (err) {
        throw new UsageError(`--now: ${(err as Error).message}`);
      }
      const result = await runRetentionPass(sql, { ...pass, now, dryRun });
      printResult(result, io);
      if (result.outcome === 'skipped') return SKIPPED_EXIT;
      return result.outcome === 'succeeded' ? 0 : 1;
    });
  },
};

export const retentionHistoryCommand: Command = {
  path: ['retention', 'history'],
  summary: 'List recorded retention passes, newest first',
  usage: 'pnpm --silent cli retention history [--limit 20]',
  options: { limit: { type: 'string' } },
  async run(v, io) {
    const limit = intOption(v, 'limit', 20, 1);
    return withDb(io.env, async (sql) => {
      const rows = await listPasses(sql, limit);
      io.out(row(['started (UTC)', 'as of', 'cutoff', 'mode', 'outcome', 'duration', 'partitions', 'rows', 'error']));
      for (const p of rows) {
        const tables = p.details.tables ?? [];
        const sum = (f: (t: TableOutcome) => number) => tables.reduce((n, t) => n + f(t), 0);
        io.out(
          row([
            p.started_at.toISOString().slice(0, 19).replace('T', ' '),
            p.details.now ?? '',
            p.cutoff,
            p.dry_run ? 'dry-run' : 'delete',
            p.outcome,
            p.details.duration_ms === undefined ? '' : seconds(p.details.duration_ms),
            String(sum((t) => t.partitions_dropped.length)),
            String(sum(rowsDeleted)),
            p.error ?? '',
          ]),
        );
      }
      return 0;
    });
  },
};

const widths = [20, 11, 11, 8, 10, 9, 11, 10];
const row = (cells: string[]) =>
  cells
    .map((c, i) => (widths[i] ? c.padEnd(widths[i]) : c))
    .join(' ')
    .trimEnd() + '\n';
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function printResult(r: PassResult, io: Io): void {
  if (r.outcome === 'refused') {
    io.err(`${r.error}\n`);
    return;
  }
  if (r.outcome === 'skipped') {
    io.err(`skipped: another retention pass is running (it holds the lock); nothing was deleted\n`);
    return;
  }
  const verb = r.dryRun ? 'would be deleted (dry run: nothing was deleted)' : 'deleted';
  io.out(`retention as of ${r.now}: cutoff ${r.cutoff}; rows dated before it ${verb}\n`);
  io.out(
    `${'table'.padEnd(32)} ${'partitions dropped'.padStart(18)} ${'rows deleted'.padStart(14)} ${'partitions created'.padStart(18)}\n`,
  );
  for (const t of r.tables) {
    io.out(
      `${t.table.padEnd(32)} ${String(t.partitioned ? t.partitions_dropped.length : '-').padStart(18)} ` +
        `${String(rowsDeleted(t)).padStart(14)} ${String(t.partitioned ? t.partitions_created.length : '-').padStart(18)}\n`,
    );
  }
  const total = r.tables.reduce((n, t) => n + rowsDeleted(t), 0);
  io.out(
    `${r.outcome} in ${seconds(r.durationMs)}: ${total} rows ${r.dryRun ? 'to delete' : 'deleted'} (pass ${r.id})\n`,
  );
  for (const t of r.tables) if (t.error) io.err(`${t.table}: ${t.error}\n`);
}
