// Limits against abuse (§6.4), each atomic under concurrency: manual runs per schedule per UTC day (429 with
// Retry-After), schedules per publisher (422 limit_reached), e-mails per publisher per day across two workers
// (over it: failed 'rate_limited', nothing sent).
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { duePeriods } from '@ax/datasets';
import { claimDelivery, claimRun, type ScheduleRow } from '@ax/db';
import { apiKey, basicMarketplace } from '@ax/testing';
import { createHarness, type Harness } from './support/harness';
import { mailTo, uniqueRecipient, waitFor } from './support/ses';

let h: Harness;
let admin: string;
let pubA: string;
let pubB: string;
let pubC: string;
const week = duePeriods('weekly', 'UTC', new Date(), 2)[0]!;

beforeAll(async () => {
  h = await createHarness('limits', { limits: { schedulesPerPublisher: 3 } });
  await basicMarketplace(h.db.sql);
  await h.db.sql`insert into analytics.publishers values ('pub-c', 'Publisher C')`;
  admin = await apiKey(h.db.sql, 'admin');
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  pubB = await apiKey(h.db.sql, 'publisher', 'pub-b');
  pubC = await apiKey(h.db.sql, 'publisher', 'pub-c');
});
afterAll(() => h.close());

const as = (token: string) => ({
  post: (path: string, body: object) => request(h.app).post(path).set('Authorization', `Bearer ${token}`).send(body),
  get: (path: string) => request(h.app).get(path).set('Authorization', `Bearer ${token}`),
  delete: (path: string) => request(h.app).delete(path).set('Authorization', `Bearer ${token}`),
});
const newSchedule = (token: string, recipients: string[]) =>
  as(token).post('/v1/schedules', { dataset: 'reputation_events', format: 'csv', frequency: 'weekly', recipients });

describe('limits', () => {
  it('20 concurrent resends against 10 manual runs a day: exactly 10 × 202, the rest 429 with Retry-After, never 500', async () => {
    const s = await newSchedule(pubA, [uniqueRecipient('manual')]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        as(pubA).post(`/v1/schedules/${s.body.id}/runs`, { period_start: week.startDate, resend: true }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(10).fill(202), ...Array(10).fill(429)]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.body.error.code).toBe('rate_limited');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86400);
    const runs = await h.db.sql<
      { sequence: number }[]
    >`select sequence from app.schedule_runs where schedule_id = ${s.body.id} order by sequence`;
    expect(runs.map((r) => r.sequence)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Asking for a period that already ran (no resend) creates nothing and is still answered.
    expect((await as(pubA).post(`/v1/schedules/${s.body.id}/runs`, { period_start: week.startDate })).status).toBe(200);
    await as(pubA).delete(`/v1/schedules/${s.body.id}`);
  });

  it('20 concurrent resends of one period without a limit all get their own run (7 of 20 used to fail)', async () => {
    const s = await newSchedule(pubA, [uniqueRecipient('race')]);
    const [row] = await h.db.sql<ScheduleRow[]>`select * from app.schedules where id = ${s.body.id}`;
    const claims = await Promise.all(
      Array.from({ length: 20 }, () => claimRun(h.db.sql, row!, week, { resend: true })),
    );
    expect(claims.every((c) => c.created)).toBe(true);
    expect(claims.map((c) => c.run.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await as(pubA).delete(`/v1/schedules/${s.body.id}`);
  });

  it('10 concurrent creations against 3 schedules per publisher: exactly 3 created, the rest 422 limit_reached', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => newSchedule(pubC, [uniqueRecipient('lim')])));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, ...Array(7).fill(422)]);
    expect(answers.find((a) => a.status === 422)!.body.error.code).toBe('limit_reached');
    // Deleting one makes room; admins' own schedules are not counted against publishers.
    await as(pubC).delete(`/v1/schedules/${answers.find((a) => a.status === 201)!.body.id}`);
    expect((await newSchedule(pubC, [uniqueRecipient('lim')])).status).toBe(201);
    expect((await newSchedule(pubC, [uniqueRecipient('lim')])).status).toBe(422);
    expect((await newSchedule(admin, [uniqueRecipient('lim')])).status).toBe(201);
  });

  it('a delivery claim takes its e-mail slot in the same statement: a lost claim takes none, a full day none', async () => {
    const s = await newSchedule(pubA, [uniqueRecipient('slot1'), uniqueRecipient('slot2')]);
    const [row] = await h.db.sql<ScheduleRow[]>`select * from app.schedules where id = ${s.body.id}`;
    const { run } = await claimRun(h.db.sql, row!, week, { resend: true });
    const [d1, d2] = await h.db.sql<{ id: string }[]>`select id from app.deliveries where run_id = ${run.id}`;
    const sent = async () =>
      (
        await h.db.sql<{ count: number }[]>`
          select count from app.email_counts where publisher_id = 'pub-a' and day = (now() at time zone 'UTC')::date`
      )[0]?.count ?? 0;
    const before = await sent();
    const cap = { publisherId: 'pub-a', limit: before + 1 };
    const [t1, t2, t3, t4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    expect(await claimDelivery(h.db.sql, d1!.id, t1, cap)).toEqual({ slot: true });
    expect(await sent()).toBe(before + 1);
    // Another sender holds d1's claim: no claim, and no slot taken for it.
    expect(await claimDelivery(h.db.sql, d1!.id, t2, cap)).toBeNull();
    expect(await sent()).toBe(before + 1);
    // The day is full: d2 is claimed (its sender then fails it with the token), and the count stays.
    expect(await claimDelivery(h.db.sql, d2!.id, t3, cap)).toEqual({ slot: false });
    expect(await sent()).toBe(before + 1);
    const claims = await h.db.sql<{ id: string; claim_token: string }[]>`
      select id, claim_token from app.deliveries where run_id = ${run.id}`;
    expect(Object.fromEntries(claims.map((c) => [c.id, c.claim_token]))).toEqual({ [d1!.id]: t1, [d2!.id]: t3 });
    // An admin's schedule (no cap) claims without counting.
    const admins = await h.db.sql<{ id: string }[]>`
      update app.deliveries set claimed_at = null, claim_token = null where run_id = ${run.id} returning id`;
    expect(await claimDelivery(h.db.sql, admins[0]!.id, t4, null)).toEqual({ slot: true });
    expect(await sent()).toBe(before + 1);
    await as(pubA).delete(`/v1/schedules/${s.body.id}`);
  });

  it('the per-publisher e-mail cap holds across two workers: 8 deliveries against 5 → 5 sent, 3 failed unsent', async () => {
    await h.startWorker();
    await h.startReportsWorker({ emailsPerPublisherPerDay: 5, concurrency: 2 });
    await h.startReportsWorker({ emailsPerPublisherPerDay: 5, concurrency: 2 });
    const recipients = Array.from({ length: 8 }, (_, i) => uniqueRecipient(`cap${i}`));
    const s1 = await newSchedule(pubB, recipients.slice(0, 4));
    const s2 = await newSchedule(pubB, recipients.slice(4));
    await Promise.all(
      [s1, s2].map((s) => as(pubB).post(`/v1/schedules/${s.body.id}/runs`, { period_start: week.startDate })),
    );
    type Run = { status: string; deliveries: { status: string; error: string | null }[] };
    const runs = await waitFor('both runs finished', async () => {
      const all = (
        await Promise.all(
          [s1, s2].map(async (s) => (await as(pubB).get(`/v1/schedules/${s.body.id}/runs`)).body.data as Run[]),
        )
      ).flat();
      return all.length === 2 && all.every((r) => r.status === 'succeeded' || r.status === 'failed') ? all : null;
    });
    const deliveries = runs.flatMap((r) => r.deliveries);
    expect(deliveries.filter((d) => d.status === 'sent')).toHaveLength(5);
    const limited = deliveries.filter((d) => d.status === 'failed');
    expect(limited).toHaveLength(3);
    expect(limited.every((d) => d.error!.startsWith('rate_limited'))).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailTo(recipients)).toHaveLength(5);
  }, 60_000);
});
