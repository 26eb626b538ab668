// Failing schedules (§6.4): REPORT_FAILURES_BEFORE_PAUSE failed runs in a row pause the schedule ('failing') and
// its failure contacts get one e-mail; resuming clears the reason and the count. Runs fail for real here: the
// worker's RECIPIENT_DOMAIN_ALLOWLIST (checked again at send time) refuses the recipient, so nothing is sent.
import request from 'supertest';
import { duePeriods } from '@ax/datasets';
import { apiKey, basicMarketplace } from '@ax/testing';
import { createHarness, type Harness } from './support/harness';
import { mailTo, uniqueRecipient, waitFor } from './support/ses';

let h: Harness;
let pubA: string;
const week = duePeriods('weekly', 'UTC', new Date(), 2)[0]!;

beforeAll(async () => {
  h = await createHarness('failing');
  await basicMarketplace(h.db.sql);
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  await h.startWorker();
  await h.startReportsWorker({ recipientDomains: ['reports.example.com'], failuresBeforePause: 3 });
});
afterAll(() => h.close());

const auth = (r: request.Test) => r.set('Authorization', `Bearer ${pubA}`);
type Run = { id: string; status: string; deliveries: { recipient: string; status: string; error: string | null }[] };
const runsOf = async (id: string) => (await auth(request(h.app).get(`/v1/schedules/${id}/runs`))).body.data as Run[];
const finishedRuns = (id: string, n: number) =>
  waitFor(`${n} finished run(s)`, async () => {
    const runs = await runsOf(id);
    return runs.length >= n && runs.every((r) => r.status === 'succeeded' || r.status === 'failed') ? runs : null;
  });
const schedule = async (id: string) => (await auth(request(h.app).get(`/v1/schedules/${id}`))).body;
const failOnce = async (id: string, n: number) => {
  expect(
    (await auth(request(h.app).post(`/v1/schedules/${id}/runs`)).send({ period_start: week.startDate, resend: n > 1 }))
      .status,
  ).toBe(202);
  const runs = await finishedRuns(id, n);
  expect(runs[0]!.status).toBe('failed');
  return runs[0]!;
};

describe('a failing schedule', () => {
  it('pauses after 3 failed runs, tells its failure contacts once, and starts counting afresh when resumed', async () => {
    const blocked = `${uniqueRecipient('blocked').split('@')[0]}@elsewhere.example.org`;
    const [ops1, ops2] = [uniqueRecipient('ops1'), uniqueRecipient('ops2')];
    const created = await auth(request(h.app).post('/v1/schedules')).send({
      dataset: 'install_events',
      format: 'csv',
      frequency: 'weekly',
      name: 'Partner <b>feed</b>',
      recipients: [blocked],
      failure_contacts: [ops1, ops2],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ paused: false, paused_reason: null, failure_contacts: [ops1, ops2] });
    const id = created.body.id as string;

    const first = await failOnce(id, 1);
    expect(first.deliveries).toEqual([
      expect.objectContaining({
        recipient: blocked,
        status: 'failed',
        error: expect.stringMatching(/^recipient_not_allowed/),
      }),
    ]);
    await failOnce(id, 2);
    expect(await schedule(id)).toMatchObject({ paused: false, paused_reason: null });
    await failOnce(id, 3);
    expect(await schedule(id)).toMatchObject({ paused: true, paused_reason: 'failing', next_run_at: null });

    const notices = await waitFor('the notice', async () =>
      (await mailTo([ops1, ops2])).length >= 2 ? mailTo([ops1, ops2]) : null,
    );
    expect(notices.map((m) => m.destination.to[0]).sort()).toEqual([ops1, ops2].sort());
    expect(notices[0]!.subject).toMatch(
      /^Paused: Installs · weekly report failed 3 times in a row · Partner <b>feed<\/b>$/,
    );
    expect(notices[0]!.body.html).toContain('Partner &lt;b&gt;feed&lt;/b&gt;');
    expect(notices[0]!.body.text).toContain('recipient_not_allowed');
    expect(await mailTo([blocked])).toHaveLength(0);

    // Another failure while paused (a manual run) sends no second notice.
    await failOnce(id, 4);
    await h.reconcile();
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailTo([ops1, ops2])).toHaveLength(2);

    // Resuming clears the reason; the count restarts: two more failures do not pause it, the third does.
    const resumed = await auth(request(h.app).patch(`/v1/schedules/${id}`)).send({ paused: false });
    expect(resumed.body).toMatchObject({ paused: false, paused_reason: null });
    await failOnce(id, 5);
    await failOnce(id, 6);
    expect(await schedule(id)).toMatchObject({ paused: false, paused_reason: null });
    await failOnce(id, 7);
    expect(await schedule(id)).toMatchObject({ paused: true, paused_reason: 'failing' });
    await waitFor("the second pause's notice", async () => (await mailTo([ops1])).length === 2);
  }, 120_000);

  it('records "user" as the reason of a PATCH pause, and a success resets the count', async () => {
    const r = uniqueRecipient('ok');
    const created = await auth(request(h.app).post('/v1/schedules')).send({
      dataset: 'install_events',
      format: 'csv',
      frequency: 'weekly',
      recipients: [r],
    });
    const id = created.body.id as string;
    await h.db.sql`update app.schedules set failure_streak = 2 where id = ${id}`;
    expect(
      (await auth(request(h.app).post(`/v1/schedules/${id}/runs`)).send({ period_start: week.startDate })).status,
    ).toBe(202);
    expect((await finishedRuns(id, 1))[0]!.status).toBe('succeeded');
    // The statement that records the run succeeded resets the count with it.
    const [{ failure_streak }] = await h.db.sql<[{ failure_streak: number }]>`
      select failure_streak from app.schedules where id = ${id}`;
    expect(failure_streak).toBe(0);
    const paused = await auth(request(h.app).patch(`/v1/schedules/${id}`)).send({ paused: true });
    expect(paused.body).toMatchObject({ paused: true, paused_reason: 'user' });
    const renamed = await auth(request(h.app).patch(`/v1/schedules/${id}`)).send({ name: 'x' });
    expect(renamed.body).toMatchObject({ paused: true, paused_reason: 'user' });
  });
});
