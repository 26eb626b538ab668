// SIGKILL an export worker process mid-export: its job's lock expires, another worker takes the job over and
// finishes it exactly once; the killed multipart upload never shows at the final key; a scheduled report's
// e-mails go out once per recipient. Private Redis, S3 and SES instances; a pausable proxy in front of S3
// holds the killed worker's upload mid-way.
import type { Queue } from 'bullmq';
import { duePeriods } from '@ax/datasets';
import { apiKey } from '@ax/testing';
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
import { eventually, startProxy, stopProc, within, type Proxy } from './support/private-services';

const ROWS = 500_000;
let stack: ChaosStack;
let proxy: Proxy;
let queue: Queue;
let admin: string;
let pubA: string;
let range: { from: string; to: string };
let api: Service;

// The victim holds its job with a short lock, and the rescuer looks for expired locks every second, so the
// dead worker's job is taken over in seconds rather than the production minute. The rescuer keeps the default
// lock: on a loaded machine a short lock of its own could lapse and be taken over by itself.
const shortLock = { JOB_LOCK_MS: '4000' };
const quickCheck = { JOB_STALLED_CHECK_MS: '1000' };
jest.setTimeout(150_000);

beforeAll(async () => {
  stack = await createChaosStack('kill');
  proxy = await startProxy(stack.s3.port);
  range = await seedInstalls(stack.db, ROWS);
  admin = await adminToken(stack.db);
  pubA = await apiKey(stack.db.sql, 'publisher', 'pub-a');
  api = await stack.api();
  queue = stack.exportsQueue();
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await stack?.close();
});

/** Starts a worker whose uploads go through the proxy, lets its export stall mid-upload, and SIGKILLs it. */
async function killMidExport(start: () => Promise<string>): Promise<string> {
  const victim = await stack.worker({ S3_ENDPOINT: `http://127.0.0.1:${proxy.port}`, ...shortLock });
  const held = proxy.pauseAfter(proxy.sentBytes() + 6 * 1024 * 1024);
  const exportId = await start();
  await within(held, 30_000, 'the upload to stall mid-way');
  expect((await exportRow(stack.db, exportId)).status).toBe('running');
  victim.child.kill('SIGKILL');
  expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
  proxy.resume();
  return exportId;
}

it("a killed worker's export is finished once by another worker, with no partial object before", async () => {
  const id = await killMidExport(async () => {
    const res = await client(api, admin).post('/v1/exports', { dataset: 'install_events', format: 'csv', ...range });
    expect(res.status).toBe(202);
    return res.body.id;
  });
  const key = `exports/${id}/install_events_${range.from}_${range.to}.csv`;
  // Parts were uploaded, but the upload was never completed: nothing is visible at the key.
  expect(await objectExists(stack.storage, key)).toBe(false);

  const rescuer = await stack.worker(quickCheck);
  const done = await settled(stack.db, id, 90_000);
  expect(done).toMatchObject({ status: 'succeeded', attempts: 2, row_count: ROWS, error_code: null });
  expect(await objectKeys(stack.storage, id)).toEqual([key]);
  expect(await objectSha256(stack.storage, key)).toBe(done.sha256);
  const job = (await queue.getJob(`export-${id}`))!;
  expect(await job.getState()).toBe('completed');
  expect(job.stalledCounter).toBe(1); // taken over after its lock expired, not failed and retried
  expect(succeededIn(rescuer)).toEqual([id]);
  const view = await client(api, admin).get(`/v1/exports/${id}`);
  expect(view.body).toMatchObject({ status: 'succeeded', result: { row_count: ROWS, sha256: done.sha256 } });
  await stopProc(rescuer);
});

it('a scheduled report whose worker was killed mid-export is e-mailed once per recipient', async () => {
  const recipients = ['ops-one@chaos.example.com', 'ops-two@chaos.example.com'];
  const pub = client(api, pubA);
  const schedule = await pub.post('/v1/schedules', {
    dataset: 'install_events',
    format: 'csv',
    frequency: 'weekly',
    recipients,
    name: 'Chaos weekly',
  });
  expect(schedule.status).toBe(201);
  const [period] = duePeriods('weekly', 'UTC', new Date(), 1);
  let runId = '';
  const exportId = await killMidExport(async () => {
    const run = await pub.post(`/v1/schedules/${schedule.body.id}/runs`, { period_start: period!.startDate });
    expect(run.status).toBe(202);
    runId = run.body.id;
    return run.body.export_id;
  });

  const rescuer = await stack.worker(quickCheck);
  const runs = await eventually(
    'the run to finish',
    async () => {
      const res = await pub.get(`/v1/schedules/${schedule.body.id}/runs`);
      const run = res.body.data.find((r: { id: string }) => r.id === runId);
      return run?.status === 'succeeded' ? run : null;
    },
    90_000,
    250,
  );
  expect(runs.deliveries).toEqual(
    expect.arrayContaining(recipients.map((recipient) => expect.objectContaining({ recipient, status: 'sent' }))),
  );
  expect((await exportRow(stack.db, exportId)).status).toBe('succeeded');
  const mails = (await stack.ses.mails()).filter((m) => m.destination.to.some((to) => recipients.includes(to)));
  expect(mails.map((m) => m.destination.to).sort()).toEqual(recipients.map((r) => [r]));
  expect(succeededIn(rescuer)).toEqual([exportId]);
  await stopProc(rescuer);
});
