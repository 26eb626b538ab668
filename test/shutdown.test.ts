// Graceful shutdown of real processes: SIGTERM lets an active export finish when the deadline allows, or hands
// it back to the queue just before the deadline (no failed attempt, no object at the final key) so another worker
// does it once; the API finishes its in-flight requests and stops accepting. Private Redis and S3 instances;
// a pausable proxy in front of S3 holds an upload mid-way at a known byte count.
import type { Queue } from 'bullmq';
import {
  adminToken,
  client,
  createChaosStack,
  exportRow,
  objectExists,
  objectKeys,
  objectSha256,
  seedInstalls,
  settled,
  succeededIn,
  type ChaosStack,
  type Service,
} from './support/chaos-stack';
import { eventually, jsonLogs, startProxy, stopProc, within, type Proxy } from './support/private-services';

// Real processes on a shared 2-core machine: generous bounds; every wait inside has its own deadline.
jest.setTimeout(150_000);

const ROWS = 400_000;
let stack: ChaosStack;
let proxy: Proxy;
let queue: Queue;
let admin: string;
let range: { from: string; to: string };
let api: Service;

beforeAll(async () => {
  stack = await createChaosStack('shutdown');
  proxy = await startProxy(stack.s3.port);
  range = await seedInstalls(stack.db, ROWS);
  admin = await adminToken(stack.db);
  api = await stack.api();
  queue = stack.exportsQueue();
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await stack?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const viaProxy = () => ({ S3_ENDPOINT: `http://127.0.0.1:${proxy.port}` });
const fileKey = (id: string) => `exports/${id}/install_events_${range.from}_${range.to}.csv`;
/**
 * About half the seeded rows (~170k, ~8 MB of CSV): with the store held after 6 MiB, the uploader has read the whole
 * file while its second and last part is stuck.
 */
const halfRange = () => ({
  from: range.from,
  to: new Date(Date.parse(range.to) - 8 * 86400_000).toISOString().slice(0, 10),
});

describe('export worker', () => {
  it('SIGTERM near the deadline hands the running export back; a second worker does it exactly once', async () => {
    const worker1 = await stack.worker({ ...viaProxy(), SHUTDOWN_TIMEOUT_MS: '9000' });
    const held = proxy.pauseAfter(6 * 1024 * 1024);
    const created = await client(api, admin).post('/v1/exports', {
      dataset: 'install_events',
      format: 'csv',
      ...range,
    });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    await within(held, 30_000, 'the upload to stall mid-way'); // the upload is stuck after 6 MiB: the export is surely mid-way
    expect((await exportRow(stack.db, id)).status).toBe('running');

    const signalled = Date.now();
    worker1.child.kill('SIGTERM');
    const exit = await worker1.exited;
    const tookMs = Date.now() - signalled;
    if (exit.code !== 143) console.log(worker1.lines.slice(-30).join('\n'));
    expect(exit).toEqual({ code: 143, signal: null });
    expect(tookMs).toBeLessThan(9000 + 2000); // the deadline (exit code 1 had it passed), plus scheduling noise

    // Handed back: queued again, the interrupted run not counted, its job waiting with no attempt made.
    const logs = jsonLogs(worker1).map((l) => l.msg);
    expect(logs).toContain('export interrupted by shutdown; handed back for another worker');
    expect(logs).toContain('shutdown complete');
    expect(logs).not.toContain('export attempt failed');
    expect(await exportRow(stack.db, id)).toMatchObject({ status: 'queued', attempts: 0, s3_key: null });
    const job = (await queue.getJob(`export-${id}`))!;
    expect(await job.getState()).toBe('waiting');
    expect(job.attemptsMade).toBe(0);
    expect(await objectExists(stack.storage, fileKey(id))).toBe(false);

    proxy.resume();
    const worker2 = await stack.worker(viaProxy());
    const done = await settled(stack.db, id, 90_000);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, row_count: ROWS, error_code: null });
    expect(await objectKeys(stack.storage, id)).toEqual([fileKey(id)]);
    expect(await objectSha256(stack.storage, fileKey(id))).toBe(done.sha256);
    const finished = (await queue.getJob(`export-${id}`))!;
    expect(await finished.getState()).toBe('completed');
    expect(finished.attemptsMade).toBe(1); // the successful run only: the handed-back one was no failed attempt
    expect(finished.attemptsStarted).toBe(2);
    expect(succeededIn(worker2)).toEqual([id]);
    await stopProc(worker2);
  });

  it('SIGTERM once every row is encoded but the store holds the last part: aborted, handed back, exit 143', async () => {
    // Before, an upload past that point was left to finish, and the worker hung to its deadline.
    const half = halfRange();
    const [counted] = await stack.db.sql<{ n: number }[]>`
      select count(*)::int as n from analytics.install_events where install_date >= ${half.from}::date and install_date < ${half.to}::date`;
    const n = counted!.n;
    expect(n).toBeGreaterThan(150_000);
    let id: string | undefined;
    try {
      const worker = await stack.worker({ ...viaProxy(), SHUTDOWN_TIMEOUT_MS: '9000' });
      const held = proxy.pauseAfter(proxy.sentBytes() + 6 * 1024 * 1024);
      id = (await client(api, admin).post('/v1/exports', { dataset: 'install_events', format: 'csv', ...half })).body
        .id as string;
      await within(held, 30_000, 'the upload to stall mid-way');
      await eventually(
        'every row to be encoded',
        async () => (await exportRow(stack.db, id!)).rows_written === n,
        15_000,
      );

      const signalled = Date.now();
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 143, signal: null });
      expect(Date.now() - signalled).toBeLessThan(9000 + 2000);
      expect(jsonLogs(worker).map((l) => l.msg)).toContain(
        'export interrupted by shutdown; handed back for another worker',
      );
      expect(await exportRow(stack.db, id)).toMatchObject({ status: 'queued', attempts: 0, s3_key: null });
      proxy.resume();
      const worker2 = await stack.worker(viaProxy());
      const done = await settled(stack.db, id, 60_000);
      expect(done).toMatchObject({ status: 'succeeded', attempts: 1, row_count: n });
      // The premise: more than the 6 MiB let through, less than the three parts the uploader holds.
      expect(done.bytes).toBeGreaterThan(6 * 1024 * 1024);
      expect(done.bytes).toBeLessThan(10 * 1024 * 1024);
      await stopProc(worker2);
    } finally {
      // Leave nothing held or queued for the next test's worker.
      proxy.resume();
      if (id && (await exportRow(stack.db, id)).status === 'queued')
        await client(api, admin).call('DELETE', `/v1/exports/${id}`);
    }
  });

  it('cancelled once every row is encoded, then SIGTERM while the store holds the last part: exit 143, no object', async () => {
    // A cancellation that comes after encoding lets the upload finish (so it cannot land after our delete); a
    // shutdown must still stop it, or the worker waits on the stalled store to its deadline.
    const half = halfRange();
    let id: string | undefined;
    try {
      const worker = await stack.worker({ ...viaProxy(), SHUTDOWN_TIMEOUT_MS: '9000' });
      const held = proxy.pauseAfter(proxy.sentBytes() + 6 * 1024 * 1024);
      const c = client(api, admin);
      id = (await c.post('/v1/exports', { dataset: 'install_events', format: 'csv', ...half })).body.id as string;
      await within(held, 30_000, 'the upload to stall mid-way');
      await eventually(
        'every row to be encoded',
        async () => (await exportRow(stack.db, id!)).rows_written > 150_000,
        15_000,
      );
      expect((await c.call('DELETE', `/v1/exports/${id}`)).status).toBe(200);
      await sleep(2500); // the worker sees the cancellation at its next progress update (every second)

      const signalled = Date.now();
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 143, signal: null });
      expect(Date.now() - signalled).toBeLessThan(9000 + 2000);
      expect(jsonLogs(worker).map((l) => l.msg)).toContain('export cancelled');
      proxy.resume();
      await sleep(500);
      expect(await exportRow(stack.db, id)).toMatchObject({ status: 'cancelled', s3_key: null });
      expect(await objectKeys(stack.storage, id)).toEqual([]);
    } finally {
      proxy.resume();
    }
  });

  it('SIGTERM with time to spare: stops fetching, finishes the active export, then exits 143 (after SIGTERM)', async () => {
    const worker = await stack.worker({ ...viaProxy(), SHUTDOWN_TIMEOUT_MS: '60000' });
    const held = proxy.pauseAfter(proxy.sentBytes() + 6 * 1024 * 1024);
    const c = client(api, admin);
    const first = (await c.post('/v1/exports', { dataset: 'install_events', format: 'csv', ...range })).body
      .id as string;
    await within(held, 30_000, 'the upload to stall mid-way');
    worker.child.kill('SIGTERM');
    await eventually('the worker to log its shutdown', () => jsonLogs(worker).some((l) => l.msg === 'shutting down'));
    // Work queued now is left for other workers.
    const second = (
      await c.post('/v1/exports', { dataset: 'install_events', format: 'json', granularity: 'week', ...range })
    ).body.id as string;
    proxy.resume();
    expect(await worker.exited).toEqual({ code: 143, signal: null });
    expect(await exportRow(stack.db, first)).toMatchObject({ status: 'succeeded', attempts: 1, row_count: ROWS });
    expect(await exportRow(stack.db, second)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(succeededIn(worker)).toEqual([first]);
    await stopProc(api);
  });
});

describe('API', () => {
  it('SIGTERM: the in-flight request finishes, new connections are refused, the process exits 143', async () => {
    const api = await stack.api({ SHUTDOWN_TIMEOUT_MS: '20000' });
    const c = client(api, admin);
    expect((await c.get('/v1/exports?limit=1')).status).toBe(200);
    // A request made slow on purpose: it waits for a table lock this test holds.
    const blocker = await stack.db.sql.reserve();
    try {
      await blocker`begin`;
      await blocker`lock table app.exports in access exclusive mode`;
      const inFlight = c.get('/v1/exports?limit=5');
      await eventually(
        'the API query to wait for the lock',
        async () =>
          (
            await stack.db
              .sql`select 1 from pg_stat_activity where application_name = 'api' and wait_event_type = 'Lock'`
          ).length > 0,
      );
      api.child.kill('SIGTERM');
      await eventually('the API to stop accepting', () =>
        fetch(`${api.base}/healthz`).then(
          () => false,
          () => true,
        ),
      );
      expect(api.running()).toBe(true);
      await blocker`commit`;
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual(expect.any(Array));
    } finally {
      blocker.release();
    }
    expect(await api.exited).toEqual({ code: 143, signal: null });
  });
});
