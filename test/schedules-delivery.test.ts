// Scheduled reports end to end on the real services: backfill → export → one SES e-mail per recipient →
// signed link → S3; resend; a job scheduler firing; duplicate triggers; throttling and rejection.
import request from 'supertest';
import { duePeriods, periodCoveredBy } from '@ax/datasets';
import { triggerReport } from '@ax/export-worker';
import { enqueue, scheduledAtOf, type JobContext } from '@ax/jobs';
import { createLogger } from '@ax/runtime';
import { signReportLink } from '@ax/storage';
import { apiKey, basicMarketplace } from '@ax/testing';
import { createHarness, fetchBytes, PUBLIC_BASE_URL, TEST_LINK_SECRET, type Harness } from './support/harness';
import { mailTo, uniqueRecipient, waitFor, type StoredMail } from './support/ses';

let h: Harness;
let pubA: string;
const week = duePeriods('weekly', 'UTC', new Date(), 2)[0]!; // a completed week, not the latest one
const at = (hours: number) => new Date(week.start.getTime() + hours * 3600_000);

beforeAll(async () => {
  h = await createHarness('sch-del');
  await basicMarketplace(h.db.sql);
  await h.db.sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date) values
      ('pkg-a1', '1.0.0', 't1', 'eu-west', 'DE', ${at(1)}),
      ('pkg-a2', '2.0.0', 't2', 'us-east', 'US', ${at(30)}),
      ('pkg-b1', '9.9.9', 't9', 'ap-south', 'IN', ${at(31)})`;
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  await h.startWorker();
  await h.startReportsWorker();
});
afterAll(() => h.close());

const auth = (r: request.Test) => r.set('Authorization', `Bearer ${pubA}`);
async function createSchedule(body: Record<string, unknown>) {
  const res = await auth(request(h.app).post('/v1/schedules')).send({
    dataset: 'install_events',
    format: 'csv',
    frequency: 'weekly',
    ...body,
  });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}
const runsOf = async (id: string) =>
  (await auth(request(h.app).get(`/v1/schedules/${id}/runs`))).body.data as {
    id: string;
    status: string;
    period_start: string;
    period_end: string;
    export_id: string;
    deliveries: { recipient: string; status: string; sent_at: string | null; error: string | null }[];
  }[];
const finishedRuns = (id: string, n = 1) =>
  waitFor(`${n} finished run(s)`, async () => {
    const runs = await runsOf(id);
    return runs.length >= n && runs.every((r) => r.status === 'succeeded' || r.status === 'failed') ? runs : null;
  });
const linkIn = (mail: StoredMail) => {
  const m = /http:\/\/reports\.test(\/v1\/report-links\/[A-Za-z0-9._-]+)/.exec(mail.body.text ?? '');
  if (!m) throw new Error('no report link in the e-mail');
  return m[1]!;
};
const ctx = (scheduledAt: Date): JobContext => ({
  logger: createLogger('test', 'silent'),
  signal: new AbortController().signal,
  stopping: new AbortController().signal,
  jobId: 'test',
  attempt: 1,
  finalAttempt: false,
  scheduledAt,
});

describe('a backfilled run', () => {
  it('e-mails every recipient once with the period, count and a link that downloads the file', async () => {
    const [r1, r2] = [uniqueRecipient('bf1'), uniqueRecipient('bf2')];
    const s = await createSchedule({ name: 'Installs <weekly>', recipients: [r1, r2] });
    const res = await auth(request(h.app).post(`/v1/schedules/${s.id}/runs`)).send({ period_start: week.startDate });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ period_start: week.startDate, period_end: week.endDate });
    const [run] = await finishedRuns(s.id);
    expect(run).toMatchObject({ id: res.body.id, status: 'succeeded' });
    expect(run!.deliveries.map((d) => [d.recipient, d.status])).toEqual(
      [
        [r1, 'sent'],
        [r2, 'sent'],
      ].sort(),
    );

    const mails = await waitFor('two e-mails', async () =>
      (await mailTo([r1, r2])).length >= 2 ? mailTo([r1, r2]) : null,
    );
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => m.destination.to).sort()).toEqual([[r1], [r2]].sort());
    const mail = mails[0]!;
    expect(mail.subject).toMatch(/^Installs, .+: 2 installs .*· Installs <weekly>$/);
    expect(mail.body.html).toContain('Installs &lt;weekly&gt;');
    for (const body of [mail.body.text!, mail.body.html!]) {
      expect(body).toContain('2 rows');
      expect(body).toContain(week.startDate);
      expect(body).toContain('UTC');
    }

    const link = await request(h.app).get(linkIn(mail));
    expect(link.status).toBe(302);
    expect(link.headers['cache-control']).toBe('no-store');
    const csv = (await fetchBytes(link.headers.location!)).toString('utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(csv).toContain('pkg-a2,2.0.0,us-east');
    expect(csv).not.toContain('pkg-b1');

    // The same period again: the existing run, no new e-mail. With resend: a new run and one more e-mail each.
    const again = await auth(request(h.app).post(`/v1/schedules/${s.id}/runs`)).send({ period_start: week.startDate });
    expect([again.status, again.body.id]).toEqual([200, res.body.id]);
    const resend = await auth(request(h.app).post(`/v1/schedules/${s.id}/runs`)).send({
      period_start: week.startDate,
      resend: true,
    });
    expect(resend.status).toBe(202);
    expect(resend.body.id).not.toBe(res.body.id);
    await finishedRuns(s.id, 2);
    expect(await mailTo([r1])).toHaveLength(2);
    expect(await mailTo([r2])).toHaveLength(2);
  });
});

describe('report links', () => {
  it('are one token per recipient; tampered, forged-expiry and expired tokens get 403; a deleted schedule 410', async () => {
    const [r1, r2] = [uniqueRecipient('link1'), uniqueRecipient('link2')];
    const s = await createSchedule({ recipients: [r1, r2] });
    await auth(request(h.app).post(`/v1/schedules/${s.id}/runs`)).send({ period_start: week.startDate });
    const [run] = await finishedRuns(s.id);
    const mails = await waitFor('two e-mails', async () =>
      (await mailTo([r1, r2])).length >= 2 ? mailTo([r1, r2]) : null,
    );
    const [l1, l2] = [r1, r2].map((r) => linkIn(mails.find((m) => m.destination.to[0] === r)!));
    expect(l1).not.toBe(l2);
    const deliveries = await h.db.sql<
      { id: string; recipient: string }[]
    >`select id, recipient from app.deliveries where run_id = ${run!.id}`;
    const idOf = (r: string) => deliveries.find((d) => d.recipient === r)!.id;
    expect(l1!.split('/').pop()!.split('.')[0]).toBe(idOf(r1));
    for (const l of [l1!, l2!]) {
      const res = await request(h.app).get(l);
      expect(res.status).toBe(302);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    // The link in the mail expires in LINK_TTL_DAYS (14 here) and points at our API, not at S3.
    expect(mails[0]!.body.text).toContain(`${PUBLIC_BASE_URL}/v1/report-links/`);
    const mailExp = Number(l1!.split('.')[1]) * 1000;
    expect(mailExp - Date.now()).toBeGreaterThan(13.9 * 86400_000);

    const good = signReportLink(TEST_LINK_SECRET, idOf(r1), new Date(Date.now() + 86400_000));
    expect((await request(h.app).get(`/v1/report-links/${good}`)).status).toBe(302);
    const [id, exp, sig] = good.split('.');
    const tampered = [
      `${id}.${Number(exp) + 3600}.${sig}`,
      `${idOf(r2)}.${exp}.${sig}`,
      `${id}.${exp}.${sig!.slice(0, -1)}${sig!.endsWith('A') ? 'B' : 'A'}`,
      signReportLink('some-other-secret-of-enough-length', idOf(r1), new Date(Date.now() + 86400_000)),
      signReportLink(TEST_LINK_SECRET, run!.export_id, new Date(Date.now() + 86400_000)), // an export id is no delivery
      'garbage',
    ];
    for (const token of tampered) {
      const res = await request(h.app).get(`/v1/report-links/${token}`);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('This link is not valid');
    }
    const expired = await request(h.app).get(
      `/v1/report-links/${signReportLink(TEST_LINK_SECRET, idOf(r1), new Date(Date.now() - 1000))}`,
    );
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('This link has expired');

    // A validly signed token claiming a far-future expiry is capped at LINK_TTL_DAYS from the send.
    const farFuture = signReportLink(TEST_LINK_SECRET, idOf(r2), new Date(Date.now() + 3650 * 86400_000));
    expect((await request(h.app).get(`/v1/report-links/${farFuture}`)).status).toBe(302);
    await h.db.sql`update app.deliveries set sent_at = now() - interval '14 days 1 minute' where id = ${idOf(r2)}`;
    const capped = await request(h.app).get(`/v1/report-links/${farFuture}`);
    expect(capped.status).toBe(403);
    expect(capped.text).toContain('This link has expired');
    expect((await request(h.app).get(l1!)).status).toBe(302); // the other recipient's link is untouched

    // Deleting the schedule revokes its links, with a page that says so.
    await auth(request(h.app).delete(`/v1/schedules/${s.id}`));
    const gone = await request(h.app).get(l1!);
    expect(gone.status).toBe(410);
    expect(gone.headers['content-type']).toMatch(/text\/html/);
    expect(gone.text).toContain('deleted by its owner');
  });
});

describe('triggers', () => {
  it('a job scheduler fires and delivers the period of its slot, once, however often it fires', async () => {
    const r = uniqueRecipient('cron');
    const s = await createSchedule({ recipients: [r] });
    // The schedule has existed for a while (so the latest period is owed); the scheduler fires every second.
    await h.db.sql`update app.schedules set active_from = now() - interval '60 days' where id = ${s.id}`;
    const result = await h.reconcile({ catchUpPeriods: 0, patternFor: () => '* * * * * *' });
    expect(result).toMatchObject({ updated: expect.any(Number) });
    const [run] = await finishedRuns(s.id);
    await new Promise((res) => setTimeout(res, 2500)); // several more firings
    const runs = await runsOf(s.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.period_start).toBe(periodCoveredBy('weekly', 'UTC', new Date()).startDate);
    expect(run!.deliveries).toEqual([expect.objectContaining({ recipient: r, status: 'sent' })]);
    expect(await mailTo([r])).toHaveLength(1);
    const jobs = await h.queues.reports.getJobs(['completed'], 0, 100);
    const fired = jobs.filter((j) => j.name === 'report.trigger' && j.data.scheduleId === s.id);
    expect(fired.length).toBeGreaterThan(1);
    // Each firing carries its cron slot (a whole second here), which is what the period is computed from.
    for (const j of fired) expect(scheduledAtOf(j).getTime() % 1000).toBe(0);
    await h.reconcile({ catchUpPeriods: 0 }); // back to the real weekly pattern
  });

  it('concurrent duplicate triggers for one slot make one run and one e-mail per recipient', async () => {
    const [r1, r2] = [uniqueRecipient('dup1'), uniqueRecipient('dup2')];
    const s = await createSchedule({ recipients: [r1, r2], timezone: 'America/New_York' });
    await h.db.sql`update app.schedules set active_from = now() - interval '60 days' where id = ${s.id}`;
    const slot = duePeriods('weekly', 'America/New_York', new Date(), 3)[0]!;
    const deps = h.reportDeps();
    await Promise.all([
      ...Array.from({ length: 8 }, () => triggerReport({ scheduleId: s.id }, deps, ctx(slot.runAt))),
      ...Array.from({ length: 4 }, () =>
        triggerReport({ scheduleId: s.id }, deps, ctx(new Date(slot.runAt.getTime() + 3600_000))),
      ),
      enqueue(h.queues, 'report.trigger', { scheduleId: s.id }),
      enqueue(h.queues, 'report.trigger', { scheduleId: s.id }),
    ]);
    // The triggers for one slot make one run; the two queued without a slot map to the latest due period.
    const runs = await finishedRuns(s.id, 2);
    await new Promise((res) => setTimeout(res, 1500));
    const latest = periodCoveredBy('weekly', 'America/New_York', new Date()).startDate;
    expect((await runsOf(s.id)).map((x) => x.period_start).sort()).toEqual([slot.startDate, latest].sort());
    expect(runs.every((x) => x.status === 'succeeded')).toBe(true);
    for (const r of [r1, r2]) {
      const mails = await mailTo([r]);
      expect(mails).toHaveLength(2);
      expect(mails.filter((m) => m.body.text!.includes(`${slot.startDate} 00:00 to`))).toHaveLength(1);
    }
  });
});
