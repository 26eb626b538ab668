// Scheduled reports when things go wrong, on the real services: a sender dying between SES and our record,
// permanent rejections and throttling, Redis losing its keys, missed periods, lost follow-up jobs.
import { Redis } from 'ioredis';
import request from 'supertest';
import { claimRun, getScheduleAnyState, OUTCOME_UNKNOWN } from '@ax/db';
import { duePeriods, nextRunAt, type ReportPeriod } from '@ax/datasets';
import { DeliveriesPending, deliverReport } from '@ax/export-worker';
import { enqueue, jobCatalog, listReportSchedulers, upsertReportScheduler, type JobContext } from '@ax/jobs';
import type { MailMessage, SendMail } from '@ax/mailer';
import { createLogger } from '@ax/runtime';
import { apiKey, basicMarketplace, REDIS_URL } from '@ax/testing';
import { createHarness, type Harness } from './support/harness';
import { mailTo, uniqueRecipient, waitFor } from './support/ses';

let h: Harness;
let pubA: string;
let realSend: SendMail;
const ctx: JobContext = {
  logger: createLogger('test', 'silent'),
  signal: new AbortController().signal,
  stopping: new AbortController().signal,
  jobId: 't',
  attempt: 1,
  finalAttempt: false,
  scheduledAt: new Date(),
};
const [older, week] = duePeriods('weekly', 'UTC', new Date(), 3) as [ReportPeriod, ReportPeriod, ReportPeriod];

beforeAll(async () => {
  h = await createHarness('sch-rec');
  await basicMarketplace(h.db.sql);
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  realSend = h.reportDeps().sendMail;
  await h.startWorker();
});
afterAll(() => h.close());

async function createSchedule(body: Record<string, unknown>): Promise<string> {
  const res = await request(h.app)
    .post('/v1/schedules')
    .set('Authorization', `Bearer ${pubA}`)
    .send({ dataset: 'install_events', format: 'csv', frequency: 'weekly', ...body });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** A run whose export has finished, with its delivery job left unprocessed (no reports worker yet). */
async function exportedRun(recipients: string[], period = week) {
  const schedule = (await getScheduleAnyState(h.db.sql, await createSchedule({ recipients })))!;
  const { run } = await claimRun(h.db.sql, schedule, period);
  await enqueue(h.queues, 'export.run', { exportId: run.export_id! });
  await waitFor(
    'export',
    async () => (await h.db.sql`select 1 from app.exports where id = ${run.export_id} and status = 'succeeded'`).length,
  );
  return run;
}
const deliveries = async (runId: string) =>
  h.db.sql<{ recipient: string; status: string; error: string | null; ses_message_id: string | null }[]>`
    select recipient, status, error, ses_message_id from app.deliveries where run_id = ${runId} order by recipient`;
const runStatus = async (runId: string) =>
  (await h.db.sql`select status from app.schedule_runs where id = ${runId}`)[0]!.status;

describe('claiming a run', () => {
  it('racing claims of one period write one run, one export and one delivery per recipient, all linked', async () => {
    const recipients = [uniqueRecipient('claim-a'), uniqueRecipient('claim-b')];
    const schedule = (await getScheduleAnyState(h.db.sql, await createSchedule({ recipients })))!;
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimRun(h.db.sql, schedule, older)));
    expect(claims.filter((c) => c.created)).toHaveLength(1);
    const run = claims.find((c) => c.created)!.run;
    expect(new Set(claims.map((c) => c.run.id))).toEqual(new Set([run.id]));
    expect(run).toMatchObject({ schedule_id: schedule.id, sequence: 0, status: 'queued' });
    const exports = await h.db.sql`
      select id, run_id, schedule_id, status, from_input, dataset from app.exports where schedule_id = ${schedule.id}`;
    expect(exports).toEqual([
      {
        id: run.export_id,
        run_id: run.id,
        schedule_id: schedule.id,
        status: 'queued',
        from_input: older.startDate,
        dataset: 'install_events',
      },
    ]);
    expect((await deliveries(run.id)).map((d) => [d.recipient, d.status])).toEqual(
      [...recipients].sort().map((r) => [r, 'pending']),
    );
    // Claiming it again later writes nothing either.
    expect(await claimRun(h.db.sql, schedule, older)).toMatchObject({ created: false, run: { id: run.id } });
    const [counts] = await h.db.sql`
      select (select count(*)::int from app.exports where schedule_id = ${schedule.id}) as exports,
             (select count(*)::int from app.schedule_runs where schedule_id = ${schedule.id}) as runs`;
    expect(counts).toEqual({ exports: 1, runs: 1 });
  });
});

describe('delivery failures', () => {
  it('a run whose export failed fails with its deliveries, sends nothing and counts one failure', async () => {
    const recipient = uniqueRecipient('export-failed');
    const schedule = (await getScheduleAnyState(h.db.sql, await createSchedule({ recipients: [recipient] })))!;
    const { run } = await claimRun(h.db.sql, schedule, older);
    await h.db.sql`
      update app.exports set status = 'failed', error_code = 'internal', error_message = 'disk full'
      where id = ${run.export_id}`;
    await deliverReport({ runId: run.id }, h.reportDeps(), ctx);
    expect(await runStatus(run.id)).toBe('failed');
    expect(await deliveries(run.id)).toEqual([
      { recipient, status: 'failed', error: 'export_failed: internal: disk full', ses_message_id: null },
    ]);
    const [{ failure_streak }] = await h.db.sql<[{ failure_streak: number }]>`
      select failure_streak from app.schedules where id = ${schedule.id}`;
    expect(failure_streak).toBe(1);
    expect(await mailTo([recipient])).toEqual([]);
  });

  it('a sender dying between SES accepting the mail and our record never sends it twice', async () => {
    const [ok, crash] = [uniqueRecipient('ok'), uniqueRecipient('crash')];
    const run = await exportedRun([ok, crash]);
    // SES takes the message, then the process "dies": the promise never settles, nothing is recorded.
    const dying: SendMail = async (msg: MailMessage) => {
      const sent = await realSend(msg);
      if (msg.to === crash) return new Promise<never>(() => {});
      return sent;
    };
    void deliverReport({ runId: run.id }, h.reportDeps({ sendMail: dying }), ctx);
    await waitFor('SES to hold both mails', async () => (await mailTo([ok, crash])).length === 2);
    await waitFor(
      'the ok delivery recorded',
      async () => (await deliveries(run.id)).find((d) => d.recipient === ok)?.status === 'sent',
    );

    // A retry while the claim is young leaves it alone (the sender might still be mid-call).
    await expect(deliverReport({ runId: run.id }, h.reportDeps(), ctx)).rejects.toBeInstanceOf(DeliveriesPending);
    // After the send timeout, the claim is declared lost: marked failed with the reason, not resent.
    await deliverReport({ runId: run.id }, h.reportDeps({ claimTimeoutMs: 0 }), ctx);
    expect(await mailTo([crash])).toHaveLength(1);
    expect(await mailTo([ok])).toHaveLength(1);
    const rows = await deliveries(run.id);
    expect(rows.find((d) => d.recipient === crash)).toMatchObject({ status: 'failed', error: OUTCOME_UNKNOWN });
    expect(rows.find((d) => d.recipient === ok)).toMatchObject({ status: 'sent', ses_message_id: expect.any(String) });
    expect(await runStatus(run.id)).toBe('succeeded');
    // And any later duplicate of the job is a no-op.
    await deliverReport({ runId: run.id }, h.reportDeps({ claimTimeoutMs: 0 }), ctx);
    expect(await mailTo([ok, crash])).toHaveLength(2);
  });

  it('a permanent rejection fails that delivery only; throttling is retried and sends once', async () => {
    const [good, bad, throttled] = [uniqueRecipient('good'), uniqueRecipient('bad'), uniqueRecipient('throttled')];
    const run = await exportedRun([good, bad, throttled]);
    let throttles = 0;
    const flaky: SendMail = async (msg) => {
      if (msg.to === bad)
        throw Object.assign(new Error('Address is on the suppression list'), {
          name: 'MessageRejected',
          $metadata: { httpStatusCode: 400 },
        });
      if (msg.to === throttled && throttles++ === 0)
        throw Object.assign(new Error('Maximum sending rate exceeded'), {
          name: 'TooManyRequestsException',
          $metadata: { httpStatusCode: 429 },
        });
      return realSend(msg);
    };
    await expect(deliverReport({ runId: run.id }, h.reportDeps({ sendMail: flaky }), ctx)).rejects.toBeInstanceOf(
      DeliveriesPending,
    );
    let rows = await deliveries(run.id);
    expect(rows.find((d) => d.recipient === bad)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('MessageRejected'),
    });
    expect(rows.find((d) => d.recipient === good)).toMatchObject({ status: 'sent' });
    expect(rows.find((d) => d.recipient === throttled)).toMatchObject({
      status: 'pending',
      error: expect.stringContaining('TooManyRequests'),
    });
    await deliverReport({ runId: run.id }, h.reportDeps({ sendMail: flaky }), ctx);
    rows = await deliveries(run.id);
    expect(rows.find((d) => d.recipient === throttled)).toMatchObject({ status: 'sent', error: null });
    expect(await runStatus(run.id)).toBe('succeeded');
    expect((await mailTo([good])).length + (await mailTo([throttled])).length).toBe(2);
    expect(await mailTo([bad])).toHaveLength(0);
    expect(jobCatalog['report.deliver'].options).toMatchObject({ attempts: 8, backoff: { type: 'exponential' } });
  });
});

describe('Redis losing everything', () => {
  it("reconcile restores every schedule's job scheduler, drops orphans and paused ones, once across replicas", async () => {
    const berlin = await createSchedule({ recipients: [uniqueRecipient('fl')], timezone: 'Europe/Berlin' });
    const ny = await createSchedule({
      recipients: [uniqueRecipient('fl')],
      frequency: 'monthly',
      timezone: 'America/New_York',
    });
    const paused = await createSchedule({ recipients: [uniqueRecipient('fl')] });
    await request(h.app).patch(`/v1/schedules/${paused}`).set('Authorization', `Bearer ${pubA}`).send({ paused: true });
    expect((await listReportSchedulers(h.queues)).has(berlin)).toBe(true);

    // FLUSHALL, limited to this test's prefix (the Redis is shared).
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${h.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    expect((await listReportSchedulers(h.queues)).size).toBe(0);
    const orphan = '00000000-0000-4000-8000-000000000001';
    await upsertReportScheduler(h.queues, { scheduleId: orphan, pattern: '0 6 * * 1', tz: 'UTC' });

    const results = await Promise.all([1, 2, 3].map(() => h.reconcile({ catchUpPeriods: 0 })));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const after = await listReportSchedulers(h.queues);
    const live = (
      await h.db.sql<{ id: string }[]>`select id from app.schedules where deleted_at is null and not paused`
    ).map((r) => r.id);
    expect([...after.keys()].sort()).toEqual(live.sort());
    expect(after.get(berlin)).toEqual({ pattern: '0 6 * * 1', tz: 'Europe/Berlin' });
    expect(after.get(ny)).toEqual({ pattern: '0 6 1 * *', tz: 'America/New_York' });
    expect(after.has(paused)).toBe(false);
    expect(after.has(orphan)).toBe(false);
    // The next firing of each is the schedule's next run time.
    const next = await h.queues.reports.getJobScheduler(`schedule-${ny}`);
    expect(next?.next).toBe(nextRunAt('monthly', 'America/New_York', new Date()).getTime());
    expect(await h.reconcile({ catchUpPeriods: 0 })).toMatchObject({ created: 0, updated: 0, removed: 0 });
  });
});

describe('catch-up and sweeps', () => {
  it('catches up missed periods exactly once, bounded, and finishes runs whose delivery job was lost', async () => {
    const r = uniqueRecipient('catchup');
    const s = await createSchedule({ recipients: [r] });
    const activeFrom = new Date(Date.now() - 35 * 86400_000);
    await h.db.sql`update app.schedules set active_from = ${activeFrom} where id = ${s}`;
    const long = await createSchedule({ recipients: [uniqueRecipient('long')] });
    await h.db.sql`update app.schedules set active_from = now() - interval '400 days' where id = ${long}`;
    const pausedOld = await createSchedule({ recipients: [uniqueRecipient('paused')] });
    await h.db
      .sql`update app.schedules set active_from = now() - interval '400 days', paused = true where id = ${pausedOld}`;

    // A run whose export finished but whose delivery job vanished (enqueue lost, Redis flushed).
    const lostR = uniqueRecipient('lost');
    const lost = await exportedRun([lostR], older);
    await waitFor('the hook to enqueue delivery', async () => h.queues.reports.getJob(`deliver-${lost.id}`));
    await h.queues.reports.remove(`deliver-${lost.id}`);
    await h.db.sql`update app.exports set finished_at = now() - interval '5 minutes' where id = ${lost.export_id}`;

    const rounds = await Promise.all([1, 2, 3].map(() => h.reconcile({ catchUpPeriods: 3 })));
    const again = await h.reconcile({ catchUpPeriods: 3 });
    const owed = duePeriods('weekly', 'UTC', new Date(), 3).filter((p) => p.runAt >= activeFrom);
    const runsOf = async (id: string) =>
      h.db.sql<
        { period_start: Date; sequence: number }[]
      >`select period_start, sequence from app.schedule_runs where schedule_id = ${id} order by period_start`;
    expect((await runsOf(s)).map((x) => x.period_start.toISOString())).toEqual(owed.map((p) => p.start.toISOString()));
    expect(await runsOf(long)).toHaveLength(3);
    expect(await runsOf(pausedOld)).toHaveLength(0);
    expect(rounds.filter(Boolean).reduce((n, x) => n + x!.caughtUp, 0)).toBe(owed.length + 3);
    expect(again).toMatchObject({ caughtUp: 0 });
    expect(rounds.filter(Boolean).reduce((n, x) => n + x!.driven, 0)).toBeGreaterThanOrEqual(1);
    expect(await h.queues.reports.getJob(`deliver-${lost.id}`)).toBeTruthy();

    await h.startReportsWorker();
    await waitFor(
      'catch-up e-mails',
      async () => (await mailTo([r])).length >= owed.length && (await mailTo([lostR])).length >= 1,
    );
    await new Promise((res) => setTimeout(res, 1000));
    expect(await mailTo([r])).toHaveLength(owed.length);
    expect(await mailTo([lostR])).toHaveLength(1);
    expect(await runStatus(lost.id)).toBe('succeeded');
  });
});
