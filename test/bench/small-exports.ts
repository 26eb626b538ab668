// Bench: many small exports (about 1.2k rows each: one publisher's installs over 30 days) through the real API,
// run by 1 and by 2 export-worker processes spawned like production. The figure is the first POST → the last
// export's finished_at, and the CPU each process used per export (worker, API, PostgreSQL backends).
// Standalone: pnpm exec tsx --conditions=source test/bench/small-exports.ts [exports] [processes,…] [concurrency,…|default]
import type { ChildProcess } from 'node:child_process';
import { apiKey, createTestDatabase, prepareTemplate, uniquePrefix, type TestDb } from '@ax/testing';
import { seed } from '@ax/seed';
import { sleep, stop, totalCpuSeconds } from './processes';
import {
  backendCpu,
  backendCpuSince,
  benchWorkerEnv,
  redisCpu,
  startBenchApi,
  startBenchWorker,
  storageEmulatorCpu,
} from './stack';

export type SmallExportsResult = {
  exports: number;
  processes: number;
  /** EXPORT_CONCURRENCY of each worker ('default' when unset). */
  concurrency: number | 'default';
  rowsEach: number;
  seconds: number;
  /** Seconds until the API had accepted the last export (202). */
  acceptedSeconds: number;
  exportsPerSecond: number;
  /**
   * CPU per export, in ms: all worker processes, the API (this process, with the bench's HTTP clients), PostgreSQL's
   * backends, and the services beside: Redis and the S3 emulator.
   */
  workerCpuMs: number;
  apiCpuMs: number;
  pgCpuMs: number;
  redisCpuMs: number;
  s3CpuMs: number;
};

async function round(
  db: TestDb,
  n: number,
  processes: number,
  concurrency: number | undefined,
  log: (l: string) => void,
): Promise<SmallExportsResult> {
  const prefix = uniquePrefix('bench-small');
  const benchApi = await startBenchApi(db, prefix, { activeExports: n + 1 });
  const api = benchApi.url;
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < processes; i++) {
      children.push(
        await startBenchWorker(
          benchWorkerEnv(db, prefix, concurrency ? { EXPORT_CONCURRENCY: String(concurrency) } : {}),
        ),
      );
    }
    const token = await apiKey(db.sql, 'publisher', 'pub-001');
    const day = (d: number) => new Date(Date.now() - d * 86400_000).toISOString().slice(0, 10);
    const body = JSON.stringify({ dataset: 'install_events', format: 'csv', from: day(31), to: day(1) });
    const pids = children.map((c) => c.pid!);
    const workerCpu0 = await totalCpuSeconds(pids);
    const pg0 = await backendCpu(db);
    const redis0 = await redisCpu(benchApi.redis);
    const s30 = await storageEmulatorCpu();
    const api0 = process.cpuUsage();
    const started = Date.now();
    // Clients send at most 16 requests at a time, as a few busy API clients would.
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < n) {
          next++;
          const res = await fetch(`${api}/v1/exports`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body,
          });
          if (res.status !== 202) throw new Error(`POST /v1/exports: ${res.status} ${await res.text()}`);
        }
      }),
    );
    // When the API had accepted every export: whether the API or the worker sets the pace.
    const accepted = (Date.now() - started) / 1000;
    for (;;) {
      const [c] = await db.sql<{ done: number; failed: number; last: Date | null; rows: number }[]>`
        select count(*) filter (where status = 'succeeded')::int as done, count(*) filter (where status = 'failed')::int as failed,
               max(finished_at) as last, min(row_count)::int as rows from app.exports`;
      if (c!.failed) throw new Error(`${c!.failed} exports failed`);
      if (c!.done >= n) {
        const seconds = (c!.last!.getTime() - started) / 1000;
        const workerCpu = (await totalCpuSeconds(pids)) - workerCpu0;
        const pgCpu = backendCpuSince(pg0, await backendCpu(db));
        const apiCpu = process.cpuUsage(api0);
        const perExport = (seconds: number) => Math.round((seconds * 1000) / n);
        const result: SmallExportsResult = {
          exports: n,
          processes,
          concurrency: concurrency ?? 'default',
          rowsEach: c!.rows,
          seconds: Math.round(seconds * 100) / 100,
          acceptedSeconds: Math.round(accepted * 100) / 100,
          exportsPerSecond: Math.round(n / seconds),
          workerCpuMs: perExport(workerCpu),
          apiCpuMs: perExport((apiCpu.user + apiCpu.system) / 1e6),
          pgCpuMs: perExport(pgCpu),
          redisCpuMs: perExport((await redisCpu(benchApi.redis)) - redis0),
          s3CpuMs: perExport((await storageEmulatorCpu()) - s30),
        };
        log(
          `  ${n} exports of ${c!.rows} rows, ${processes} worker process(es), EXPORT_CONCURRENCY ${concurrency ?? 'default'}: ${result.seconds} s, ${result.exportsPerSecond}/s (all accepted after ${result.acceptedSeconds} s); CPU per export: ` +
            `workers ${result.workerCpuMs} ms, API ${result.apiCpuMs} ms, PostgreSQL ${result.pgCpuMs} ms, Redis ${result.redisCpuMs} ms, S3 emulator ${result.s3CpuMs} ms`,
        );
        return result;
      }
      await sleep(100);
    }
  } finally {
    await Promise.all(children.map(stop));
    await benchApi.close();
    await db.sql`truncate app.exports cascade`;
    await db.sql`vacuum (analyze) app.exports`;
  }
}

export async function benchSmallExports(opts: {
  exports: number;
  processes: number[];
  /** EXPORT_CONCURRENCY values to run each process count with (undefined: the worker's default). */
  concurrency?: (number | undefined)[];
  log?: (l: string) => void;
}): Promise<SmallExportsResult[]> {
  const log = opts.log ?? (() => {});
  await prepareTemplate();
  const db = await createTestDatabase();
  try {
    await seed(db.sql, {});
    await db.sql`vacuum (analyze)`;
    const results: SmallExportsResult[] = [];
    for (const c of opts.concurrency ?? [undefined])
      for (const p of opts.processes) results.push(await round(db, opts.exports, p, c, log));
    return results;
  } finally {
    await db.drop();
  }
}

if (require.main === module) {
  const concurrency = process.argv[4]?.split(',').map((c) => (c === 'default' ? undefined : Number(c)));
  benchSmallExports({
    exports: Number(process.argv[2] ?? 300),
    processes: (process.argv[3] ?? '1,2').split(',').map(Number),
    concurrency,
    log: (l) => console.log(l),
  })
    .then((r) => {
      console.table(r);
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
