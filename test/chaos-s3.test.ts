// The S3 emulator (a private instance) stopped mid-upload: the export is retried with backoff; when the store
// comes back in time the export succeeds once with the right bytes, when it stays down the export fails with
// a clear storage_unavailable error after its last attempt. A pausable proxy in front of S3 lets the test stop
// the store while an upload is surely mid-way.
import type { Queue } from 'bullmq';
import {
  adminToken,
  client,
  createChaosStack,
  exportRow,
  objectKeys,
  objectSha256,
  seedInstalls,
  settled,
  type ChaosStack,
  type Service,
} from './support/chaos-stack';
import { eventually, jsonLogs, startProxy, stopProc, within, type Proxy } from './support/private-services';

// Real processes on a shared 2-core machine: generous bounds; every wait inside has its own deadline.
jest.setTimeout(150_000);

const ROWS = 400_000;
let stack: ChaosStack;
let proxy: Proxy;
let api: Service;
let worker: Service;
let queue: Queue;
let admin: string;
let range: { from: string; to: string };

beforeAll(async () => {
  stack = await createChaosStack('s3');
  proxy = await startProxy(stack.s3.port);
  range = await seedInstalls(stack.db, ROWS);
  admin = await adminToken(stack.db);
  [api, worker] = await Promise.all([stack.api(), stack.worker({ S3_ENDPOINT: `http://127.0.0.1:${proxy.port}` })]);
  queue = stack.exportsQueue();
}, 120_000);
afterAll(async () => {
  await Promise.all([worker, api].filter(Boolean).map((p) => stopProc(p)));
  await proxy?.close();
  await stack?.close();
});

/** Starts an export and kills the S3 emulator once its upload is mid-way. */
async function exportWithS3KilledMidUpload(body: Record<string, unknown>): Promise<string> {
  const held = proxy.pauseAfter(proxy.sentBytes() + 6 * 1024 * 1024);
  const res = await client(api, admin).post('/v1/exports', { dataset: 'install_events', ...range, ...body });
  expect(res.status).toBe(202);
  await within(held, 30_000, 'the upload to be mid-way');
  await stack.s3.stop('SIGKILL');
  proxy.resume();
  return res.body.id;
}

const startsOf = (id: string) =>
  jsonLogs(worker)
    .filter((l) => l.msg === 'export started' && l.exportId === id)
    .map((l) => Date.parse(l.time as string));

it('the store comes back in time: retried, then stored once with the right bytes', async () => {
  const id = await exportWithS3KilledMidUpload({ format: 'csv' });
  // The SDK retries each request a few times itself; a store back before those run out would let the first attempt
  // finish. Start it only once that attempt has failed, so the export's own retry is what is tested.
  await eventually(
    'the first attempt to fail',
    () => jsonLogs(worker).some((l) => l.msg === 'export attempt failed' && l.exportId === id),
    30_000,
    50,
  );
  await stack.s3.start();
  const done = await settled(stack.db, id, 60_000);
  expect(done).toMatchObject({ status: 'succeeded', row_count: ROWS, error_code: null });
  expect(done.attempts).toBeGreaterThanOrEqual(2);
  expect(await objectKeys(stack.storage, id)).toEqual([done.s3_key]);
  expect(await objectSha256(stack.storage, done.s3_key!)).toBe(done.sha256);
  const failed = jsonLogs(worker).filter((l) => l.msg === 'export attempt failed' && l.exportId === id);
  expect(failed.length).toBe(done.attempts - 1);
  for (const f of failed) expect(f).toMatchObject({ code: 'storage_unavailable', transient: true });
});

it('the store stays down: five attempts with growing pauses, then failed with storage_unavailable', async () => {
  const id = await exportWithS3KilledMidUpload({ format: 'csv', csv_bom: true });
  const done = await settled(stack.db, id, 80_000);
  expect(done).toMatchObject({ status: 'failed', attempts: 5, error_code: 'storage_unavailable', s3_key: null });
  expect(done.error_message).toBe('The file store is unavailable. Gave up after 5 attempts.');
  const view = await client(api, admin).get(`/v1/exports/${id}`);
  expect(view.body).toMatchObject({ status: 'failed', result: null, error: { code: 'storage_unavailable' } });
  const job = (await queue.getJob(`export-${id}`))!;
  expect({ state: await job.getState(), attemptsMade: job.attemptsMade }).toEqual({ state: 'failed', attemptsMade: 5 });
  // Exponential backoff (2 s base, jitter 0.5): attempt k+1 starts at least 2^(k-1) s after attempt k.
  const starts = startsOf(id);
  expect(starts).toHaveLength(5);
  starts.slice(1).forEach((t, k) => expect(t - starts[k]!).toBeGreaterThanOrEqual(1000 * 2 ** k));
  await stack.s3.start(); // back up: the failed export left nothing behind
  expect(await objectKeys(stack.storage, id)).toEqual([]);
  expect((await exportRow(stack.db, id)).status).toBe('failed');
});
