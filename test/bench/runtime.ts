// Bench: the runtime before and after issue 11. "before" is how the services ran until then: the machine's older
// Node.js (BENCH_BEFORE_NODE, default /usr/bin/node) running the TypeScript sources through tsx; "after" is this
// Node.js (24, brought by infra/local/lib.sh) running the esbuild bundles of `pnpm build` (and, in between, this
// Node.js running the sources through tsx). For the API and the export
// worker, each way: start time (spawn → first 200 from /healthz), idle RSS (VmRSS 2 s after that), and peak RSS
// (VmHWM) after a small load: for the API, 400 reads (export list, OpenAPI document) 8 at a time; for the worker,
// three CSV exports of `rows` install events one after the other (their mean time is reported too).
// Standalone: pnpm exec tsx --conditions=source test/bench/runtime.ts [rows] [repeat]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retentionCutoff } from '@ax/retention';
import { apiKey, createTestDatabase, prepareTemplate, TEST_RETENTION_MONTHS, uniquePrefix } from '@ax/testing';
import { seed } from '@ax/seed';
import { buildDist } from '../../scripts/build';
import { freePort, peakRssMb, sleep, stop } from './processes';
import { productionStart } from '../support/package-scripts';
import { benchWorkerEnv, ROOT, startBenchApi } from './stack';
import { median, round } from './stats';

export type RuntimeBenchRow = {
  service: string;
  runtime: string;
  runs: number;
  /** Medians over the runs. */
  startMs: number;
  idleRssMb: number;
  peakRssMb: number;
  /** Export worker only: mean seconds per export under load. */
  exportSeconds?: number;
};

type Way = { label: string; argv: (service: Service) => string[]; node: string };
type Service = 'api' | 'export-worker';
const SOURCES: Record<Service, string> = {
  api: 'services/api/src/main.ts',
  'export-worker': 'services/export-worker/src/main.ts',
};
const FLAGS: Record<Service, string[]> = {
  api: productionStart('api').nodeFlags,
  'export-worker': productionStart('export-worker').nodeFlags,
};

const nodeVersion = (node: string) => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();

const rssMb = (pid: number) => {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 1024);
};

export async function benchRuntime(opts: {
  rows: number;
  repeat?: number;
  log?: (l: string) => void;
}): Promise<RuntimeBenchRow[]> {
  const log = opts.log ?? (() => {});
  const beforeNode = process.env.BENCH_BEFORE_NODE ?? '/usr/bin/node';
  const out = mkdtempSync(join(tmpdir(), 'ax-bench-dist-'));
  const ways: Way[] = [];
  if (existsSync(beforeNode)) {
    ways.push({
      label: `Node ${nodeVersion(beforeNode)} + tsx (sources)`,
      node: beforeNode,
      argv: (s) => [...FLAGS[s], '--conditions=source', '--require', 'tsx/cjs', join(ROOT, SOURCES[s])],
    });
  } else {
    log(`no ${beforeNode}: set BENCH_BEFORE_NODE to the older node to compare with`);
  }
  // This Node.js with tsx too, so the change of runtime and the change to compiled output show apart.
  ways.push({
    label: `Node ${process.version} + tsx (sources)`,
    node: process.execPath,
    argv: (s) => [...FLAGS[s], '--conditions=source', '--require', 'tsx/cjs', join(ROOT, SOURCES[s])],
  });
  ways.push({
    label: `Node ${process.version} + dist (bundle)`,
    node: process.execPath,
    argv: (s) => [...FLAGS[s], join(out, `${s}/main.js`)],
  });

  log('building the bundles …');
  await buildDist(out);
  await prepareTemplate();
  const db = await createTestDatabase();
  const prefix = uniquePrefix('bench-rt');
  const benchApi = await startBenchApi(db, prefix);
  const inProcessApi = benchApi.url;
  const results: RuntimeBenchRow[] = [];
  try {
    log(`seeding ${opts.rows.toLocaleString('en')} install events …`);
    await seed(db.sql, { installs: opts.rows, reviews: 100, reputationEvents: 100, days: 300 });
    await db.sql`vacuum analyze analytics.install_events`;
    const token = await apiKey(db.sql, 'admin');
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    // The services' own flags (FLAGS) are on their command lines: no NODE_OPTIONS on top.
    const env = benchWorkerEnv(db, prefix, { EXPORT_CONCURRENCY: '1', NODE_OPTIONS: '' });

    const exportOnce = async () => {
      const from = retentionCutoff(new Date(), TEST_RETENTION_MONTHS);
      const to = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
      const res = await fetch(`${inProcessApi}/v1/exports`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ dataset: 'install_events', format: 'csv', from, to }),
      });
      const { id } = (await res.json()) as { id: string };
      if (res.status !== 202) throw new Error(`POST /v1/exports: ${res.status}`);
      const t = Date.now();
      for (;;) {
        await sleep(50);
        const [row] = await db.sql`select status, error_message from app.exports where id = ${id}`;
        if (row!.status === 'succeeded') return (Date.now() - t) / 1000;
        if (row!.status === 'failed') throw new Error(`export failed: ${row!.error_message}`);
      }
    };

    const apiLoad = async (base: string) => {
      const paths = Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? '/openapi.json' : '/v1/exports?limit=50'));
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let p = paths.pop(); p; p = paths.pop()) {
            const res = await fetch(`${base}${p}`, { headers });
            if (!res.ok) throw new Error(`GET ${p}: ${res.status}`);
            await res.arrayBuffer();
          }
        }),
      );
    };

    const runOnce = async (service: Service, way: Way) => {
      const port = await freePort();
      const portEnv = service === 'api' ? { PORT: String(port) } : { METRICS_PORT: String(port) };
      const t0 = process.hrtime.bigint();
      const child = spawn(way.node, way.argv(service), {
        cwd: ROOT,
        // The export worker's malloc settings (benchWorkerEnv) are its own: the API runs without them, as in production.
        env:
          service === 'api'
            ? { ...env, ...portEnv, MALLOC_ARENA_MAX: undefined, MALLOC_MMAP_THRESHOLD_: undefined }
            : { ...env, ...portEnv },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      try {
        const url = `http://127.0.0.1:${port}/healthz`;
        for (;;) {
          if (child.exitCode !== null) throw new Error(`${service} exited ${child.exitCode}`);
          if ((await fetch(url).catch(() => null))?.ok) break;
          await sleep(10);
        }
        const startMs = Number(process.hrtime.bigint() - t0) / 1e6;
        await sleep(2000);
        const idle = rssMb(child.pid!);
        let exportSeconds: number | undefined;
        if (service === 'api') await apiLoad(`http://127.0.0.1:${port}`);
        else exportSeconds = ((await exportOnce()) + (await exportOnce()) + (await exportOnce())) / 3;
        return { startMs, idle, peak: await peakRssMb(child.pid!), exportSeconds };
      } finally {
        await stop(child);
      }
    };

    for (const service of ['api', 'export-worker'] as const) {
      for (const way of ways) {
        const runs = [];
        for (let i = 0; i < (opts.repeat ?? 3); i++) {
          const r = await runOnce(service, way);
          runs.push(r);
          log(
            `${service}, ${way.label}, run ${i + 1}: start ${Math.round(r.startMs)} ms, idle ${r.idle} MB, peak ${r.peak} MB` +
              (r.exportSeconds === undefined ? '' : `, ${round(r.exportSeconds)} s per export`),
          );
        }
        const row: RuntimeBenchRow = {
          service,
          runtime: way.label,
          runs: runs.length,
          startMs: Math.round(median(runs.map((r) => r.startMs))),
          idleRssMb: median(runs.map((r) => r.idle)),
          peakRssMb: median(runs.map((r) => r.peak)),
        };
        if (service === 'export-worker') row.exportSeconds = round(median(runs.map((r) => r.exportSeconds!)));
        results.push(row);
      }
    }
  } finally {
    await benchApi.close();
    await db.drop();
    rmSync(out, { recursive: true, force: true });
  }
  return results;
}

if (require.main === module) {
  benchRuntime({
    rows: Number(process.argv[2] ?? 200_000),
    repeat: Number(process.argv[3] ?? 3),
    log: (l) => console.log(l),
  }).then(
    (rows) => {
      console.table(rows);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
