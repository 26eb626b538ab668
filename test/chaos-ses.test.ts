// The SES emulator (a private instance) down when a scheduled report is due: deliveries are released and retried
// with backoff, nothing is marked failed, and once SES is back every recipient gets exactly one e-mail.
import { duePeriods } from '@ax/datasets';
import { apiKey } from '@ax/testing';
import { client, createChaosStack, seedInstalls, type ChaosStack } from './support/chaos-stack';
import { eventually, jsonLogs, stopProc } from './support/private-services';

// Real processes on a shared 2-core machine: generous bounds; every wait inside has its own deadline.
jest.setTimeout(150_000);

let stack: ChaosStack;

beforeAll(async () => {
  stack = await createChaosStack('ses');
}, 60_000);
afterAll(() => stack?.close());

it('retries deliveries while SES is down and sends each e-mail once when it is back', async () => {
  await seedInstalls(stack.db, 5_000);
  const pubA = await apiKey(stack.db.sql, 'publisher', 'pub-a');
  const [api, worker] = await Promise.all([stack.api(), stack.worker()]);
  const pub = client(api, pubA);
  const recipients = ['a@ses-chaos.example.com', 'b@ses-chaos.example.com', 'c@ses-chaos.example.com'];
  const schedule = await pub.post('/v1/schedules', {
    dataset: 'install_events',
    format: 'csv',
    frequency: 'weekly',
    recipients,
  });
  expect(schedule.status).toBe(201);

  await stack.ses.stop('SIGKILL');
  const [period] = duePeriods('weekly', 'UTC', new Date(), 1);
  const run = await pub.post(`/v1/schedules/${schedule.body.id}/runs`, { period_start: period!.startDate });
  expect(run.status).toBe(202);
  const deliveries = () =>
    stack.db.sql<{ recipient: string; status: string; attempts: number; error: string | null }[]>`
      select recipient, status, attempts, error from app.deliveries where run_id = ${run.body.id} order by recipient`;
  // Each delivery was tried at least twice, SES refusing the connection each time; none is given up on.
  await eventually(
    'two failed rounds of deliveries',
    async () => {
      const rows = await deliveries();
      return rows.length === 3 && rows.every((d) => d.attempts >= 2);
    },
    40_000,
    200,
  );
  for (const d of await deliveries())
    expect(d).toMatchObject({ status: 'pending', error: expect.stringContaining('ECONNREFUSED') });
  expect(await stack.db.sql`select status from app.schedule_runs where id = ${run.body.id}`).toEqual([
    { status: 'running' },
  ]);

  await stack.ses.start();
  const done = await eventually(
    'the run to succeed',
    async () => {
      const res = await pub.get(`/v1/schedules/${schedule.body.id}/runs`);
      const r = res.body.data.find((x: { id: string }) => x.id === run.body.id);
      return r?.status === 'succeeded' ? r : null;
    },
    60_000,
    250,
  );
  expect(done.deliveries).toEqual(
    recipients.map((recipient) => expect.objectContaining({ recipient, status: 'sent', error: null })),
  );
  const mails = await stack.ses.mails();
  expect(mails.map((m) => m.destination.to).sort()).toEqual(recipients.map((r) => [r]));
  expect(mails.every((m) => m.subject.length > 0)).toBe(true);
  // The e-mail bodies (with their signed links) never reach the logs.
  const logText = worker.lines.join('\n');
  for (const m of mails) expect(logText).not.toContain(m.body.text ?? '\u0000');
  expect(jsonLogs(worker).some((l) => l.msg === 'report e-mail not sent')).toBe(true);
  await Promise.all([worker, api].map((p) => stopProc(p)));
});
