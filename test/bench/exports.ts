// Bench: one export through the real API and a real worker process, against what a user would type instead
// (baselines.ts): B0 `psql \copy` of the dataset's columns with literal values to a file, in storage order; B1 the
// same in time order; B2 B1 piped into `aws s3 cp -` to the same S3 emulator (gzip: `| gzip -1 |` in between); and,
// as before, psql running our own query text. JSON is compared with psql running the GROUP BY with literal values.
// Seeded as a marketplace writes: rows appended in time order, a publisher mix; VACUUM (ANALYZE) after seeding and
// after each run. The worker's peak RSS (VmHWM) and CPU, and the CPU of the PostgreSQL backends it used, are read
// from /proc. The worker runs with the flags production uses (package.json's start:export-worker, read by stack.ts;
// override with BENCH_WORKER_NODE_OPTIONS). With `repeat` > 1 each pair (ours, then the baselines) runs that many
// times in turn, so a machine whose speed drifts slows both sides alike; figures are medians, ratios the median of
// the pairs' ratios.
// Standalone: pnpm exec tsx --conditions=source test/bench/exports.ts [rows]
import { renderCopyQuery } from '@ax/db';
import { getDataset, type DatasetScope } from '@ax/datasets';
import { cutoffInstant, retentionCutoff } from '@ax/retention';
import { deleteObject } from '@ax/storage';
import {
  apiKey,
  createTestDatabase,
  prepareTemplate,
  TEST_RETENTION_MONTHS,
  testStorage,
  testStorageConfig,
  uniquePrefix,
} from '@ax/testing';
import { seed } from '@ax/seed';
import { baselineCommands, literal, type Timed } from './baselines';
import { cpuSeconds, peakRssMb, sleep, stop } from './processes';
import { backendCpu, backendCpuSince, benchWorkerEnv, startBenchApi, startBenchWorker } from './stack';
import { median, round } from './stats';

export type ExportBenchRow = {
  what: string;
  rows: number;
  runs: number;
  oursSeconds: number;
  /** Median seconds of each baseline, by name (B0, B1, B2, ours-in-psql, GROUP BY). */
  baselines: Record<string, number>;
  /** Baseline time / our time, median over the pairs (above 1: we are faster), with the range of the pairs. */
  ratios: Record<string, string>;
  rowsPerSecond: number;
  workerCpuSeconds: number;
  /** CPU of the PostgreSQL backends the export used, and of psql's backend for the time-ordered baseline (B1). */
  pgCpuSeconds: number;
  psqlPgCpuSeconds: number;
  /** The highest over the runs. */
  workerPeakRssMb: number;
  bytes: number;
};

type Ours = { seconds: number; rows: number; bytes: number; rss: number; cpu: number; pgCpu: number };

export async function benchExports(opts: {
  rows: number;
  repeat?: number;
  /** Which of 'csv', 'gzip', 'json' to run; all by default. */
  formats?: string[];
  /** Export as this publisher (its own packages) instead of as an admin over every row. */
  publisherId?: string;
  log?: (l: string) => void;
}): Promise<ExportBenchRow[]> {
  const log = opts.log ?? (() => {});
  await prepareTemplate();
  const db = await createTestDatabase();
  const prefix = uniquePrefix('bench');
  const storage = await testStorage();
  const benchApi = await startBenchApi(db, prefix);
  const api = benchApi.url;
  const results: ExportBenchRow[] = [];
  const vacuum = () => db.sql`vacuum (analyze)`;
  try {
    log(`seeding ${opts.rows.toLocaleString()} install events (appended in time order) into ${db.name} …`);
    const t = Date.now();
    await seed(db.sql, { installs: opts.rows, reviews: 1000, reputationEvents: 1000, days: 700 });
    await vacuum();
    log(`seeded and vacuumed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const publisherId = opts.publisherId ?? null;
    const token = publisherId ? await apiKey(db.sql, 'publisher', publisherId) : await apiKey(db.sql, 'admin');
    const from = retentionCutoff(new Date(), TEST_RETENTION_MONTHS);
    const to = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
    const scope: DatasetScope = {
      from: cutoffInstant(from),
      to: new Date(`${to}T00:00:00Z`),
      timezone: 'UTC',
      granularity: 'day',
      publisherId,
      packageIds: null,
    };
    const range = `install_date >= ${literal(scope.from.toISOString())} and install_date < ${literal(scope.to.toISOString())}`;
    const owner = publisherId
      ? ` and package_id in (select package_id from analytics.packages where publisher_id = ${literal(publisherId)})`
      : '';
    const b0 = `select package_id, version, tenant_region, install_date from analytics.install_events where ${range}${owner}`;
    const b1 = `${b0} order by install_date`;
    const ourText = renderCopyQuery(getDataset('install_events')!.csv(scope));
    const groupBy = `select date_trunc('day', install_date at time zone 'UTC'), count(*), count(distinct tenant_id)
                     from analytics.install_events where ${range}${owner} group by 1`;
    const baseline = baselineCommands(db.url, {
      endpoint: testStorageConfig.S3_ENDPOINT,
      bucket: testStorageConfig.S3_BUCKET,
    });

    const runExport = async (body: object): Promise<Ours> => {
      const worker = await startBenchWorker(benchWorkerEnv(db, prefix, { EXPORT_CONCURRENCY: '1' }), [
        'ignore',
        'inherit',
        'inherit',
      ]);
      try {
        const started = Date.now();
        const cpuBefore = await cpuSeconds(worker.pid!);
        const pgBefore = await workerBackendCpu();
        const res = await fetch(`${api}/v1/exports`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        const created = (await res.json()) as { id: string };
        if (res.status !== 202) throw new Error(`POST /v1/exports: ${res.status} ${JSON.stringify(created)}`);
        // The time is taken from finished_at, so polling slowly costs no precision, and leaves the cores alone.
        for (;;) {
          await sleep(100);
          const [row] =
            await db.sql`select status, finished_at, row_count, bytes, error_message, s3_key from app.exports where id = ${created.id}`;
          if (row!.status === 'succeeded') {
            const pgCpu = backendCpuSince(pgBefore, await workerBackendCpu());
            const result = {
              seconds: (row!.finished_at.getTime() - started) / 1000,
              rows: row!.row_count as number,
              bytes: row!.bytes as number,
              rss: await peakRssMb(worker.pid!),
              cpu: (await cpuSeconds(worker.pid!)) - cpuBefore,
              pgCpu,
            };
            await deleteObject(storage, row!.s3_key as string).catch(() => {});
            return result;
          }
          if (row!.status === 'failed') throw new Error(`export failed: ${row!.error_message}`);
        }
      } finally {
        await stop(worker);
        await vacuum();
      }
    };
    /** CPU so far of each backend the worker holds (its COPY pool and its postgres.js clients), by pid. */
    const workerBackendCpu = () => backendCpu(db, ['analytics-export-copy', 'export-worker']);

    const pairs = async (
      format: string,
      what: string,
      ours: () => Promise<Ours>,
      baselines: Record<string, () => Timed>,
      pgBaseline: string,
    ) => {
      if (opts.formats && !opts.formats.includes(format)) return;
      const runs: { ours: Ours; base: Record<string, Timed> }[] = [];
      for (let i = 0; i < (opts.repeat ?? 1); i++) {
        const o = await ours();
        const base = Object.fromEntries(Object.entries(baselines).map(([name, fn]) => [name, fn()]));
        runs.push({ ours: o, base });
        log(
          `${what} run ${i + 1}: ours ${round(o.seconds)} s (worker CPU ${round(o.cpu)} s, PostgreSQL CPU ${round(o.pgCpu)} s, peak RSS ${o.rss} MB); ` +
            Object.entries(base)
              .map(([n, b]) => `${n} ${round(b.seconds)} s → ${round(b.seconds / o.seconds)}×`)
              .join(', ') +
            `; psql's backend CPU (${pgBaseline}) ${round(base[pgBaseline]!.backendCpu)} s`,
        );
      }
      const oursSeconds = median(runs.map((r) => r.ours.seconds));
      const names = Object.keys(baselines);
      const ratioOf = (n: string) => runs.map((r) => r.base[n]!.seconds / r.ours.seconds);
      const row: ExportBenchRow = {
        what,
        rows: runs[0]!.ours.rows,
        runs: runs.length,
        oursSeconds: round(oursSeconds),
        baselines: Object.fromEntries(names.map((n) => [n, round(median(runs.map((r) => r.base[n]!.seconds)))])),
        ratios: Object.fromEntries(
          names.map((n) => [
            n,
            `${round(median(ratioOf(n)))}× (${round(Math.min(...ratioOf(n)))}–${round(Math.max(...ratioOf(n)))})`,
          ]),
        ),
        rowsPerSecond: Math.round(runs[0]!.ours.rows / oursSeconds),
        workerCpuSeconds: round(median(runs.map((r) => r.ours.cpu))),
        pgCpuSeconds: round(median(runs.map((r) => r.ours.pgCpu))),
        psqlPgCpuSeconds: round(median(runs.map((r) => r.base[pgBaseline]!.backendCpu))),
        workerPeakRssMb: Math.max(...runs.map((r) => r.ours.rss)),
        bytes: runs[0]!.ours.bytes,
      };
      results.push(row);
      log(
        `${what}: ours ${row.oursSeconds} s (${row.rowsPerSecond.toLocaleString()} rows/s, worker peak RSS ${row.workerPeakRssMb} MB, ` +
          `PostgreSQL CPU ${row.pgCpuSeconds} s vs psql's ${row.psqlPgCpuSeconds} s); ` +
          names.map((n) => `${n} ${row.ratios[n]}`).join(', '),
      );
    };

    // Warm the cache once so neither side pays for the first read from disk.
    baseline.toFile(b0);

    const base = { dataset: 'install_events', from, to };
    await pairs(
      'csv',
      'CSV',
      () => runExport({ ...base, format: 'csv' }),
      {
        B0: () => baseline.toFile(b0),
        B1: () => baseline.toFile(b1),
        B2: () => baseline.toS3(b1, false),
        'our text in psql': () => baseline.toFile(ourText),
      },
      'B1',
    );
    await pairs(
      'gzip',
      'CSV gzip',
      () => runExport({ ...base, format: 'csv', compression: 'gzip' }),
      {
        B2: () => baseline.toS3(b1, true),
      },
      'B2',
    );
    await pairs(
      'json',
      'JSON (day)',
      async () => ({ ...(await runExport({ ...base, format: 'json', granularity: 'day' })), rows: opts.rows }),
      {
        'GROUP BY': () => baseline.query(groupBy),
      },
      'GROUP BY',
    );
  } finally {
    await benchApi.close();
    await db.drop();
  }
  return results;
}

if (require.main === module) {
  benchExports({
    rows: Number(process.argv[2] ?? 1_000_000),
    repeat: Number(process.argv[3] ?? 1),
    log: (l) => console.log(l),
  }).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
