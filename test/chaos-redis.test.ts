// Redis restarted during work (a private instance with an append-only file, killed with SIGKILL): the API
// answers 503 with Retry-After for what needs the queue while reads keep working, recovers by itself; the
// workers reconnect and every export finishes exactly once.
import { duePeriods } from '@ax/datasets';
import { apiKey } from '@ax/testing';
import {
  adminToken,
  client,
  createChaosStack,
  exportRow,
  seedInstalls,
  settled,
  succeededIn,
  type ChaosStack,
  type Service,
} from './support/chaos-stack';
import { eventually, jsonLogs, startProxy, stopProc, within, type Proxy } from './support/private-services';

// Real processes on a shared 2-core machine: generous bounds; every wait inside has its own deadline.
jest.setTimeout(150_000);

let stack: ChaosStack;
let range: { from: string; to: string };

beforeAll(async () => {
  stack = await createChaosStack('redis', { persistRedis: true });
  range = await seedInstalls(stack.db, 300_000);
}, 120_000);
afterAll(() => stack?.close());

it('survives a Redis restart mid-work: 503 while down, then every export finishes once', async () => {
  const admin = await adminToken(stack.db);
  const proxy = await startProxy(stack.s3.port);
  const [api, ...workers] = await Promise.all([
    stack.api(),
    stack.worker({ S3_ENDPOINT: `http://127.0.0.1:${proxy.port}` }),
    stack.worker(),
  ]);
  const c = client(api, admin);
  const body = { dataset: 'install_events', format: 'csv', ...range };
  const ids: string[] = [];
  const held = proxy.pauseAfter(6 * 1024 * 1024);
  for (let i = 0; i < 4; i++) ids.push((await c.post('/v1/exports', body)).body.id);
  await within(held, 30_000, 'an upload to stall mid-way'); // so one export is surely running through the outage

  await stack.redis.stop('SIGKILL');
  const refused = await c.post('/v1/exports', body);
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBeTruthy();
  expect(refused.body.error.code).toBe('service_unavailable');
  expect((await c.get(`/v1/exports/${ids[0]}`)).status).toBe(200); // reads need only PostgreSQL
  const ready = await fetch(`${api.base}/readyz`);
  expect(ready.status).toBe(503);
  expect(((await ready.json()) as { checks: { redis: boolean } }).checks.redis).toBe(false);
  // Running exports finish without Redis (their results are in PostgreSQL); nothing new starts.
  proxy.resume();
  await eventually(
    'running exports to finish while Redis is down',
    async () => (await stack.db.sql`select 1 from app.exports where status = 'running'`).length === 0,
    60_000,
    200,
  );
  const [counts] = await stack.db.sql<
    { queued: number }[]
  >`select count(*)::int as queued from app.exports where status = 'queued'`;
  expect(counts!.queued).toBeGreaterThan(0);

  await stack.redis.start();
  const accepted = await eventually(
    'the API to accept exports again',
    async () => {
      const res = await c.post('/v1/exports', body);
      return res.status === 202 ? res : null;
    },
    30_000,
    250,
  );
  ids.push(accepted.body.id);
  expect((await fetch(`${api.base}/readyz`)).status).toBe(200);

  for (const id of ids)
    expect(await settled(stack.db, id, 120_000)).toMatchObject({ status: 'succeeded', attempts: 1, error_code: null });
  const done = workers.flatMap((w) => succeededIn(w));
  expect(done.sort()).toEqual([...ids].sort());
  for (const id of ids) expect((await exportRow(stack.db, id)).row_count).toBe(300_000);
  await Promise.all([...workers, api].map((p) => stopProc(p)));
  await proxy.close();
});

/**
 * SIGTERMs the worker and, once its shutdown has begun, kills Redis and lets the worker's stalled upload go on; the
 * worker must still exit 143 (SIGTERM's status) within its deadline.
 */
async function stopThenLoseRedis(worker: Service, proxy: Proxy, deadlineMs: number): Promise<number> {
  const signalled = Date.now();
  worker.child.kill('SIGTERM');
  await eventually('the worker to start its shutdown', () => jsonLogs(worker).some((l) => l.msg === 'shutting down'));
  await stack.redis.stop('SIGKILL');
  proxy.resume();
  const exit = await worker.exited;
  if (exit.code !== 143) console.log(worker.lines.slice(-40).join('\n')); // which closer hung
  expect(exit).toEqual({ code: 143, signal: null });
  const took = Date.now() - signalled;
  expect(took).toBeLessThan(deadlineMs);
  return took;
}

it('Redis lost while a stopping worker finishes its export: the export is recorded, the worker exits 143 in time', async () => {
  const admin = await adminToken(stack.db);
  const proxy = await startProxy(stack.s3.port);
  const [api, worker] = await Promise.all([
    stack.api(),
    stack.worker({ S3_ENDPOINT: `http://127.0.0.1:${proxy.port}`, SHUTDOWN_TIMEOUT_MS: '20000' }),
  ]);
  try {
    const held = proxy.pauseAfter(proxy.sentBytes() + 6 * 1024 * 1024);
    const id = (await client(api, admin).post('/v1/exports', { dataset: 'install_events', format: 'csv', ...range }))
      .body.id as string;
    await within(held, 30_000, 'an upload to stall mid-way');
    // BullMQ's graceful close has begun with Redis up; then Redis goes, and the export finishes without it.
    await stopThenLoseRedis(worker, proxy, 20_000);
    expect(await exportRow(stack.db, id)).toMatchObject({ status: 'succeeded', attempts: 1, row_count: 300_000 });
    expect(succeededIn(worker)).toEqual([id]);
  } finally {
    await stack.redis.start();
    await stopProc(api);
    await proxy.close();
  }
});

it("Redis lost while a stopping worker finishes a report's export: the worker exits 143 in time, the report is sent once", async () => {
  const pubA = await apiKey(stack.db.sql, 'publisher', 'pub-a');
  const proxy = await startProxy(stack.s3.port);
  const [api, worker] = await Promise.all([
    stack.api(),
    stack.worker({ S3_ENDPOINT: `http://127.0.0.1:${proxy.port}`, SHUTDOWN_TIMEOUT_MS: '20000' }),
  ]);
  let next: Service | undefined;
  try {
    const pub = client(api, pubA);
    const recipients = ['a@redis-chaos.example.com', 'b@redis-chaos.example.com'];
    const schedule = await pub.post('/v1/schedules', {
      dataset: 'install_events',
      format: 'csv',
      frequency: 'weekly',
      recipients,
    });
    expect(schedule.status).toBe(201);
    const held = proxy.pauseAfter(proxy.sentBytes() + 2 * 1024 * 1024);
    const [period] = duePeriods('weekly', 'UTC', new Date(), 1);
    const run = await pub.post(`/v1/schedules/${schedule.body.id}/runs`, { period_start: period!.startDate });
    expect(run.status).toBe(202);
    await within(held, 30_000, "the report's upload to stall mid-way");
    // The export finishes without Redis; handing its run on to delivery needs Redis, and the worker waits for that
    // only 1 s: it exits long before its running jobs would be cancelled (15 s: the deadline less its margin).
    expect(await stopThenLoseRedis(worker, proxy, 20_000)).toBeLessThan(12_000);
    expect(jsonLogs(worker).map((l) => l.msg)).toContain(
      'shutting down before the finished hook returned; the reconciler will pick the report up',
    );
    const [open] = await stack.db.sql<{ status: string; export_id: string; export_status: string }[]>`
      select r.status, r.export_id, e.status as export_status from app.schedule_runs r join app.exports e on e.id = r.export_id
      where r.id = ${run.body.id}`;
    expect(open).toMatchObject({ status: expect.stringMatching(/^(queued|running)$/), export_status: 'succeeded' });

    // Nothing is lost: with Redis back, the next worker's reconciler finds the run idle and drives it on.
    await stack.redis.start();
    await stack.db.sql`update app.exports set finished_at = now() - interval '5 minutes' where id = ${open!.export_id}`;
    next = await stack.worker();
    await eventually(
      'the run to succeed',
      async () =>
        (await stack.db.sql`select 1 from app.schedule_runs where id = ${run.body.id} and status = 'succeeded'`)
          .length > 0,
      60_000,
      250,
    );
    const mails = (await stack.ses.mails()).filter((m) => recipients.includes(m.destination.to[0]!));
    expect(mails.map((m) => m.destination.to).sort()).toEqual(recipients.map((r) => [r]));
  } finally {
    await stack.redis.start();
    await Promise.all([next, api].filter((p): p is Service => Boolean(p)).map((p) => stopProc(p)));
    await proxy.close();
  }
});

it('a worker told to stop while Redis is down still exits within its deadline', async () => {
  const worker = await stack.worker({ SHUTDOWN_TIMEOUT_MS: '8000' });
  await stack.redis.stop('SIGKILL');
  try {
    const signalled = Date.now();
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    if (exit.code !== 143) console.log(worker.lines.slice(-40).join('\n')); // which closer hung
    expect(Date.now() - signalled).toBeLessThan(8000 + 2000);
    expect(exit).toEqual({ code: 143, signal: null });
  } finally {
    await stack.redis.start();
  }
});
