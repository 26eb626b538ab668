// Bench: N weekly schedules due at the same moment (small data each), delivered by 1 and by 2 worker processes.
// Each round: a fresh database, a unique queue prefix, its own SES emulator (the shared one stays small),
// worker processes spawned like production (the export worker with its production flags). The job schedulers are
// set to fire all at one instant T0; the figure is T0 → every delivery recorded as sent.
// Standalone: pnpm exec tsx --conditions=source test/bench/schedules.ts [schedules] [processes,…]
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createQueues, producerConnection, upsertReportScheduler } from '@ax/jobs';
import { createTestDatabase, obliterate, prepareTemplate, REDIS_URL, uniquePrefix } from '@ax/testing';
import { freePort, peakRssMb, sleep, stop, totalCpuSeconds, waitHttp } from './processes';
import { backendCpu, backendCpuSince, benchWorkerEnv, redisCpu, ROOT, startBenchWorker } from './stack';

export type SchedulesBenchOptions = {
  schedules: number;
  processes: number[];
  exportConcurrency?: number;
  reportConcurrency?: number;
  log?: (line: string) => void;
};

export type SchedulesBenchResult = {
  schedules: number;
  processes: number;
  setupSeconds: number;
  /** T0 → all runs claimed, all exports succeeded, all e-mails recorded as sent. */
  runsSeconds: number;
  exportsSeconds: number;
  deliveredSeconds: number;
  emailsPerSecond: number;
  emailsInEmulator: number;
  duplicates: number;
  /** CPU seconds from T0 to the last e-mail, per report: the worker processes (all threads), PostgreSQL, Redis. */
  workerCpuMsPerReport: number;
  postgresCpuMsPerReport: number;
  redisCpuMsPerReport: number;
  /** The larger of the worker processes' peak RSS (VmHWM) over the round. */
  workerPeakRssMb: number;
};

async function round(n: number, processes: number, opts: SchedulesBenchOptions): Promise<SchedulesBenchResult> {
  const log = opts.log ?? (() => {});
  const setupStart = Date.now();
  const db = await createTestDatabase();
  const prefix = uniquePrefix('bench-sch');
  const sesPort = await freePort();
  const children: ChildProcess[] = [];
  const ses = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/aws-ses-v2-local/dist/cli.js'), '--host', '127.0.0.1', '--port', String(sesPort)],
    { stdio: 'ignore' },
  );
  const redis = producerConnection(REDIS_URL);
  const queues = createQueues(redis, prefix);
  try {
    await waitHttp(`http://127.0.0.1:${sesPort}/store`);
    await db.sql`insert into analytics.publishers values ('pub-bench', 'Bench')`;
    await db.sql`insert into analytics.packages values ('pkg-bench', 'pub-bench', 'Bench package')`;
    await db.sql`
      insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
      select 'pkg-bench', '1.0.' || (i % 5), 't' || i, 'eu-west', 'DE', now() - (i || ' hours')::interval
      from generate_series(1, 400) i`;

    // Workers first, each ready only after its start-up reconcile (/readyz): that round finds no schedules, and
    // cannot rewrite our instant patterns with the schedules' own weekly ones (it did, in a third of the rounds,
    // while readiness did not wait for it).
    for (let i = 0; i < processes; i++) {
      children.push(
        await startBenchWorker(
          benchWorkerEnv(db, prefix, {
            LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? 'error',
            SES_ENDPOINT: `http://127.0.0.1:${sesPort}`,
            S3_BUCKET: 'analytics-exports-bench',
            EXPORT_CONCURRENCY: String(opts.exportConcurrency ?? 4),
            REPORT_CONCURRENCY: String(opts.reportConcurrency ?? 8),
            REPORT_RECONCILE_INTERVAL_MS: '0',
            // The schedules are active from 30 days back; a start-up reconcile that overlaps their insertion would
            // otherwise catch up four past weeks of each before T0, and the figure would not be T0's alone.
            REPORT_CATCH_UP_PERIODS: '0',
            // All N schedules belong to one publisher: its daily e-mail cap (issue 13) must not be what is measured.
            EMAILS_PER_PUBLISHER_PER_DAY: String(n),
          }),
          // The workers log to stdout: shown only when a log level is asked for.
          ['ignore', process.env.BENCH_WORKER_LOG_LEVEL ? 'inherit' : 'ignore', 'inherit'],
        ),
      );
    }

    const ids = (
      await db.sql<{ id: string }[]>`
      insert into app.schedules (name, dataset, format, frequency, recipients, timezone, owner_publisher_id, scope_publisher_id, active_from)
      select 'Bench ' || i, 'install_events', 'csv', 'weekly', array['bench-' || i || '@bench.example.com'], 'UTC',
             'pub-bench', 'pub-bench', now() - interval '30 days'
      from generate_series(1, ${n}) i
      returning id`
    ).map((r) => r.id);
    // One job scheduler per schedule, all firing at the same second T0: a weekly cron (with seconds, in UTC) on T0's
    // weekday, so the scheduler's next-slot search after T0 is a weekly schedule's. A pattern pinned to T0's date
    // instead made cron-parser step through a year of days for every firing (~0.3 ms of worker CPU per report).
    const t0 = new Date(Math.ceil((Date.now() + 15_000 + n * 3) / 1000) * 1000);
    const pattern = `${t0.getUTCSeconds()} ${t0.getUTCMinutes()} ${t0.getUTCHours()} * * ${t0.getUTCDay()}`;
    for (let i = 0; i < ids.length; i += 200)
      await Promise.all(
        ids.slice(i, i + 200).map((id) => upsertReportScheduler(queues, { scheduleId: id, pattern, tz: 'UTC' })),
      );
    if (Date.now() > t0.getTime() - 1000) throw new Error('setting up the schedulers took longer than planned');
    const setupSeconds = (Date.now() - setupStart) / 1000;
    log(`  ${n} schedules, ${processes} process(es): schedulers set, all due at ${t0.toISOString()}`);

    let runsAt = 0;
    let exportsAt = 0;
    let [lastProgress, lastProgressAt] = ['', Date.now()];
    const pids = children.map((c) => c.pid!);
    await sleep(Math.max(0, t0.getTime() - Date.now() - 500));
    const cpu0 = { workers: await totalCpuSeconds(pids), postgres: await backendCpu(db), redis: await redisCpu(redis) };
    for (;;) {
      await sleep(250);
      if (Date.now() < t0.getTime()) continue;
      const [c] = await db.sql<{ runs: number; exports: number; sent: number; failed: number }[]>`
        select (select count(*)::int from app.schedule_runs) as runs,
               (select count(*)::int from app.exports where status = 'succeeded') as exports,
               (select count(*)::int from app.deliveries where status = 'sent') as sent,
               (select count(*)::int from app.deliveries where status = 'failed') as failed`;
      if (c!.failed > 0) {
        const [why] = await db.sql<
          { error: string }[]
        >`select error from app.deliveries where status = 'failed' limit 1`;
        throw new Error(
          `${c!.failed} deliveries failed (e.g. ${why?.error}); the bench measures deliveries that succeed`,
        );
      }
      // A send whose outcome is unknown (its SES call failed in a way that may have sent it) keeps its claim until
      // it expires into a failure, minutes later: say so at once instead of waiting (BENCH_WORKER_LOG_LEVEL=warn
      // shows the workers' reason).
      const progress = `${c!.runs}/${c!.exports}/${c!.sent}`;
      if (progress !== lastProgress) [lastProgress, lastProgressAt] = [progress, Date.now()];
      else if (Date.now() - lastProgressAt > 60_000) {
        const stuck = await db.sql<{ recipient: string; claimed_at: Date | null }[]>`
          select recipient, claimed_at from app.deliveries where status = 'pending' order by recipient limit 5`;
        throw new Error(`no progress for 60 s (runs/exports/sent ${progress}); pending: ${JSON.stringify(stuck)}`);
      }
      if (!runsAt && c!.runs >= n) runsAt = Date.now();
      if (!exportsAt && c!.exports >= n) exportsAt = Date.now();
      if (c!.sent >= n) break;
    }
    const done = Date.now();
    const perReport = (seconds: number) => Math.round((seconds * 1000 * 10) / n) / 10;
    const workerCpuMsPerReport = perReport((await totalCpuSeconds(pids)) - cpu0.workers);
    const postgresCpuMsPerReport = perReport(backendCpuSince(cpu0.postgres, await backendCpu(db)));
    const redisCpuMsPerReport = perReport((await redisCpu(redis)) - cpu0.redis);
    const workerPeakRssMb = Math.max(...(await Promise.all(pids.map(peakRssMb))));
    const store = (await (await fetch(`http://127.0.0.1:${sesPort}/store`)).json()) as {
      emails: { destination: { to: string[] } }[];
    };
    const to = store.emails.map((e) => e.destination.to[0]!);
    const deliveredSeconds = (done - t0.getTime()) / 1000;
    return {
      schedules: n,
      processes,
      setupSeconds,
      runsSeconds: (runsAt - t0.getTime()) / 1000,
      exportsSeconds: (exportsAt - t0.getTime()) / 1000,
      deliveredSeconds,
      emailsPerSecond: Math.round(n / deliveredSeconds),
      emailsInEmulator: to.length,
      duplicates: to.length - new Set(to).size,
      workerCpuMsPerReport,
      postgresCpuMsPerReport,
      redisCpuMsPerReport,
      workerPeakRssMb,
    };
  } finally {
    await Promise.all(children.map(stop));
    ses.kill('SIGTERM');
    await queues.close();
    const raw = new Redis(REDIS_URL);
    await obliterate(raw, prefix);
    raw.disconnect();
    redis.disconnect();
    await db.drop();
  }
}

export async function benchSchedules(opts: SchedulesBenchOptions): Promise<SchedulesBenchResult[]> {
  await prepareTemplate();
  const results: SchedulesBenchResult[] = [];
  for (const p of opts.processes) results.push(await round(opts.schedules, p, opts));
  return results;
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? 10_000);
  const processes = (process.argv[3] ?? '1,2').split(',').map(Number);
  benchSchedules({ schedules: n, processes, log: (l) => console.log(l) })
    .then((results) => {
      for (const r of results)
        console.log(
          `${r.schedules} weekly schedules due at once, ${r.processes} worker process(es): all runs claimed ${r.runsSeconds.toFixed(1)} s, ` +
            `exports done ${r.exportsSeconds.toFixed(1)} s, all e-mails sent ${r.deliveredSeconds.toFixed(1)} s after T0 ` +
            `(${r.emailsPerSecond}/s); emulator holds ${r.emailsInEmulator} mails, ${r.duplicates} duplicates; ` +
            `CPU per report: workers ${r.workerCpuMsPerReport} ms, PostgreSQL ${r.postgresCpuMsPerReport} ms, Redis ${r.redisCpuMsPerReport} ms; ` +
            `worker peak RSS ${r.workerPeakRssMb} MB`,
        );
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
