// Bench: one export through the real API and a real worker process, against psql running the same query.
// CSV (plain and gzip) is compared with `psql \copy` of the identical COPY query (same text, same settings);
// JSON with psql running the same GROUP BY. The worker's peak RSS (VmHWM) and the CPU it used from the API call to
// the export's end are read from /proc. The worker runs
// with the flags production uses (--max-semi-space-size=2 --max-old-space-size=96; override with BENCH_WORKER_NODE_OPTIONS).
// With `repeat` > 1 each pair (ours, then psql) runs that many times in turn, so a machine whose speed drifts
// (shared cores) slows both sides alike; the figures are medians, the ratio the median of the pairs' ratios.
// Standalone: pnpm exec tsx --conditions=source test/bench/exports.ts [rows]
import { spawn, spawnSync } from 'node:child_process';
import { statSync, unlinkSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildApp } from '@ax/api';
import { getDataset, cutoffInstant, retentionCutoff } from '@ax/datasets';
import { createQueues, producerConnection } from '@ax/jobs';
import { createLogger } from '@ax/runtime';
import { apiKey, createTestDatabase, prepareTemplate, REDIS_URL, seed, testStorage, testStorageConfig, uniquePrefix } from '@ax/testing';
import { cpuSeconds, freePort, peakRssMb, sleep, stop, waitHttp } from './processes';

const ROOT = join(__dirname, '..', '..');

export type ExportBenchRow = {
  what: string;
  rows: number;
  runs: number;
  oursSeconds: number;
  baselineSeconds: number;
  /** Baseline time / our time: above 1 means faster than psql (median over the runs). */
  speedRatio: number;
  /** The lowest and highest of the runs' ratios. */
  ratioRange: string;
  rowsPerSecond: number;
  /** The highest over the runs. */
  workerPeakRssMb: number;
  bytes: number;
};

export async function benchExports(opts: {
  rows: number;
  repeat?: number;
  /** Which of 'csv', 'gzip', 'json' to run; all by default. */
  formats?: string[];
  log?: (l: string) => void;
}): Promise<ExportBenchRow[]> {
  const log = opts.log ?? (() => {});
  await prepareTemplate();
  const db = await createTestDatabase();
  const prefix = uniquePrefix('bench');
  const redis = producerConnection(REDIS_URL);
  const queues = createQueues(redis, prefix);
  const storage = await testStorage();
  const server = buildApp({ sql: db.sql, redis, queues, storage, logger: createLogger('bench', 'silent') }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const results: ExportBenchRow[] = [];
  try {
    log(`seeding ${opts.rows.toLocaleString()} install events into ${db.name} …`);
    const t = Date.now();
    await seed(db.sql, { installs: opts.rows, reviews: 1000, reputationEvents: 1000, days: 700 });
    await db.sql`vacuum analyze analytics.install_events`;
    log(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const token = await apiKey(db.sql, 'admin');
    const from = retentionCutoff(new Date());
    const to = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
    const scope = { from: cutoffInstant(from), to: new Date(`${to}T00:00:00Z`), timezone: 'UTC', granularity: 'day' as const, publisherId: null, packageIds: null };
    const copy = getDataset('install_events')!.csv(scope);
    const prelude = `begin read only;\n`;
    const oneLine = copy.text.replace(/\s+/g, ' ');

    const runExport = async (body: object) => {
      const port = await freePort();
      // BENCH_WORKER_NODE_ARGS: flags NODE_OPTIONS refuses, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` for a profile.
      const extra = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
      const worker = spawn(process.execPath, [...extra, '--conditions=source', '--require', 'tsx/cjs', join(ROOT, 'services/export-worker/src/main.ts')], {
        cwd: ROOT,
        env: {
          ...process.env, DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix, METRICS_PORT: String(port), LOG_LEVEL: 'warn',
          S3_ENDPOINT: testStorageConfig.S3_ENDPOINT, S3_BUCKET: testStorageConfig.S3_BUCKET, EXPORT_CONCURRENCY: '1',
          REPORT_RECONCILE_INTERVAL_MS: '3600000', NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? '--max-semi-space-size=2 --max-old-space-size=96',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      try {
        await waitHttp(`http://127.0.0.1:${port}/readyz`);
        const started = Date.now();
        const cpuBefore = await cpuSeconds(worker.pid!);
        const res = await fetch(`${api}/v1/exports`, {
          method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
        });
        const created = (await res.json()) as { id: string };
        if (res.status !== 202) throw new Error(`POST /v1/exports: ${res.status} ${JSON.stringify(created)}`);
        // The time is taken from finished_at, so polling slowly costs no precision, and leaves the cores alone.
        for (;;) {
          await sleep(100);
          const [row] = await db.sql`select status, finished_at, row_count, bytes, error_message from app.exports where id = ${created.id}`;
          if (row!.status === 'succeeded') {
            return {
              seconds: (row!.finished_at.getTime() - started) / 1000, rows: row!.row_count as number, bytes: row!.bytes as number,
              rss: await peakRssMb(worker.pid!), cpu: (await cpuSeconds(worker.pid!)) - cpuBefore,
            };
          }
          if (row!.status === 'failed') throw new Error(`export failed: ${row!.error_message}`);
        }
      } finally {
        await stop(worker);
      }
    };

    const timeShell = (script: string, outFile?: string) => {
      const started = process.hrtime.bigint();
      const r = spawnSync('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error(`baseline failed: ${script.slice(0, 200)}`);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const bytes = outFile ? statSync(outFile).size : 0;
      if (outFile) unlinkSync(outFile);
      return { seconds, bytes };
    };
    const psql = `psql -X -q -v ON_ERROR_STOP=1 '${db.url}'`;
    const csvFile = `/tmp/ax-bench-${process.pid}.csv`;

    type Ours = { seconds: number; rows: number; bytes: number; rss: number; cpu: number };
    const pairs = async (format: string, what: string, ours: () => Promise<Ours>, baseline: () => number) => {
      if (opts.formats && !opts.formats.includes(format)) return;
      const runs: { ours: Ours; baseline: number }[] = [];
      for (let i = 0; i < (opts.repeat ?? 1); i++) {
        const o = await ours();
        const b = baseline();
        runs.push({ ours: o, baseline: b });
        log(`${what} run ${i + 1}: ours ${round(o.seconds)} s (worker CPU ${round(o.cpu)} s, peak RSS ${o.rss} MB), psql ${round(b)} s → ${round(b / o.seconds)}×`);
      }
      const ratios = runs.map((r) => r.baseline / r.ours.seconds);
      const oursSeconds = median(runs.map((r) => r.ours.seconds));
      const row: ExportBenchRow = {
        what, rows: runs[0]!.ours.rows, runs: runs.length, oursSeconds: round(oursSeconds), baselineSeconds: round(median(runs.map((r) => r.baseline))),
        speedRatio: round(median(ratios)), ratioRange: `${round(Math.min(...ratios))}–${round(Math.max(...ratios))}`,
        rowsPerSecond: Math.round(runs[0]!.ours.rows / oursSeconds), workerPeakRssMb: Math.max(...runs.map((r) => r.ours.rss)), bytes: runs[0]!.ours.bytes,
      };
      results.push(row);
      log(`${what}: ours ${row.oursSeconds} s (${row.rowsPerSecond.toLocaleString()} rows/s, worker peak RSS ${row.workerPeakRssMb} MB), ` +
        `baseline ${row.baselineSeconds} s → ${row.speedRatio}× psql (runs: ${row.ratioRange})`);
    };

    // Warm the cache once so neither side pays for the first read from disk.
    timeShell(`${psql} <<'SQL'\n${prelude}\\copy (${oneLine}) to '/dev/null' with (format csv)\ncommit;\nSQL`);

    const base = { dataset: 'install_events', from, to };
    await pairs('csv', 'CSV', () => runExport({ ...base, format: 'csv' }),
      () => timeShell(`${psql} <<'SQL'\n${prelude}\\copy (${oneLine}) to '${csvFile}' with (format csv)\ncommit;\nSQL`, csvFile).seconds);

    const gzFile = `${csvFile}.gz`;
    await pairs('gzip', 'CSV gzip', () => runExport({ ...base, format: 'csv', compression: 'gzip' }),
      () => timeShell(`set -o pipefail; ${psql} <<'SQL' | gzip -1 > '${gzFile}'\n${prelude}\\copy (${oneLine}) to stdout with (format csv)\ncommit;\nSQL`, gzFile).seconds);

    await pairs('json', 'JSON (day)', async () => ({ ...(await runExport({ ...base, format: 'json', granularity: 'day' })), rows: opts.rows }),
      () => timeShell(`${psql} -o /dev/null -c "select date_trunc('day', install_date at time zone 'UTC'), count(*), count(distinct tenant_id)
      from analytics.install_events where install_date >= '${scope.from.toISOString()}' and install_date < '${scope.to.toISOString()}' group by 1"`).seconds);
  } finally {
    server.close();
    await queues.close();
    redis.disconnect();
    await db.drop();
  }
  return results;
}

const round = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

if (require.main === module) {
  benchExports({ rows: Number(process.argv[2] ?? 1_000_000), repeat: Number(process.argv[3] ?? 1), log: (l) => console.log(l) }).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
