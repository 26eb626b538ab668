// Scale-out: three export worker processes share thirty exports; each export is done exactly once, by one of
// them, and every process does some of the work. Private Redis and S3 instances, real processes.
import type { Queue } from 'bullmq';
import {
  adminToken,
  client,
  createChaosStack,
  objectSha256,
  seedInstalls,
  settled,
  succeededIn,
  type ChaosStack,
  type ExportRowView,
  type Service,
} from './support/chaos-stack';
import { eventually, stopProc } from './support/private-services';

// Real processes on a shared 2-core machine: generous bounds; every wait inside has its own deadline.
jest.setTimeout(150_000);

let stack: ChaosStack;
let queue: Queue;

beforeAll(async () => {
  stack = await createChaosStack('scale');
  queue = stack.exportsQueue();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

it('three worker processes share 30 exports, each done exactly once', async () => {
  const range = await seedInstalls(stack.db, 150_000);
  const admin = await adminToken(stack.db);
  const [api, ...workers] = await Promise.all([
    stack.api({ EXPORT_ACTIVE_LIMIT: '100' }),
    stack.worker({ EXPORT_CONCURRENCY: '2' }),
    stack.worker({ EXPORT_CONCURRENCY: '2' }),
    stack.worker({ EXPORT_CONCURRENCY: '2' }),
  ]);
  const c = client(api, admin);
  const variants = [{ format: 'csv' }, { format: 'csv', compression: 'gzip' }, { format: 'json', granularity: 'day' }];
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const res = await c.post('/v1/exports', { dataset: 'install_events', ...range, ...variants[i % variants.length] });
    expect(res.status).toBe(202);
    ids.push(res.body.id);
  }

  const rows: ExportRowView[] = [];
  for (const id of ids) rows.push(await settled(stack.db, id, 120_000));
  for (const row of rows) {
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, error_code: null });
    const job = (await queue.getJob(`export-${row.id}`))!;
    expect({
      state: await job.getState(),
      attemptsMade: job.attemptsMade,
      attemptsStarted: job.attemptsStarted,
      stalled: job.stalledCounter,
    }).toEqual({ state: 'completed', attemptsMade: 1, attemptsStarted: 1, stalled: 0 });
  }
  // Spot-check the stored bytes of one export per variant.
  for (const row of rows.slice(0, 3)) expect(await objectSha256(stack.storage, row.s3_key!)).toBe(row.sha256);

  // Every export was processed by exactly one process, and every process did some.
  const byWorker = workers.map((w) => succeededIn(w));
  expect(byWorker.flat().sort()).toEqual([...ids].sort());
  for (const done of byWorker) expect(done.length).toBeGreaterThan(0);
  await Promise.all([...workers, api].map((p) => stopProc(p)));
});

it('a worker is ready only once its start-up reconcile of the report schedulers has run', async () => {
  // The reconcile's first read of the schedules waits behind this lock: the worker answers, but is not ready.
  const holder = await stack.db.sql.reserve();
  await holder`begin`;
  await holder`lock table app.schedules in access exclusive mode`;
  const ready = async (w: { base: string }) => {
    const res = await fetch(`${w.base}/readyz`);
    return { status: res.status, checks: ((await res.json()) as { checks: Record<string, boolean> }).checks };
  };
  let worker: Service | undefined;
  try {
    worker = await stack.worker({}, '/healthz');
    const waiting = await eventually('the worker reading the schedules', async () => {
      const r = await ready(worker!);
      return r.checks.worker && r.checks.redis ? r : null;
    });
    expect(waiting).toEqual({ status: 503, checks: { worker: true, redis: true, schedulers: false } });
  } finally {
    await holder`rollback`;
    holder.release();
  }
  const after = await eventually('the worker ready', async () => {
    const r = await ready(worker);
    return r.status === 200 ? r : null;
  });
  expect(after.checks).toEqual({ worker: true, redis: true, schedulers: true });
  await stopProc(worker);
});
