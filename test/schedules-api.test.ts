// /v1/schedules on the real services: CRUD, validation, scoping, next_run_at, job schedulers, backfill checks.
import request from 'supertest';
import { buildApp } from '@ax/api';
import { cronPattern, nextRunAt } from '@ax/datasets';
import { createQueues, listReportSchedulers, producerConnection } from '@ax/jobs';
import { createLogger } from '@ax/runtime';
import { apiKey, basicMarketplace, TEST_RETENTION_MONTHS } from '@ax/testing';
import { createHarness, TEST_LINK_SECRET, type Harness } from './support/harness';

let h: Harness;
let admin: string;
let pubA: string;
let pubB: string;

beforeAll(async () => {
  h = await createHarness('sch-api');
  await basicMarketplace(h.db.sql);
  admin = await apiKey(h.db.sql, 'admin');
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  pubB = await apiKey(h.db.sql, 'publisher', 'pub-b');
});
afterAll(() => h.close());

const api = (token: string) => ({
  post: (path: string, body: unknown) =>
    request(h.app)
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object),
  patch: (path: string, body: unknown) =>
    request(h.app)
      .patch(path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object),
  get: (path: string) => request(h.app).get(path).set('Authorization', `Bearer ${token}`),
  del: (path: string) => request(h.app).delete(path).set('Authorization', `Bearer ${token}`),
});
const valid = { dataset: 'install_events', format: 'csv', frequency: 'weekly', recipients: ['ops@example.com'] };
const count = async () => (await h.db.sql`select count(*)::int as n from app.schedules`)[0]!.n as number;
const fields = (res: request.Response) => res.body.error.details.map((d: { field: string }) => d.field).sort();

describe('creating schedules', () => {
  it("answers 201 with the schedule, its next run and a job scheduler in the schedule's zone", async () => {
    const before = Date.now();
    const res = await api(pubA).post('/v1/schedules', {
      ...valid,
      name: 'Weekly installs',
      timezone: 'Europe/Berlin',
      recipients: ['Ops@Example.com', 'dev@example.com', 'ops@example.COM'],
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/schedules/${res.body.id}`);
    expect(res.body).toMatchObject({
      name: 'Weekly installs',
      dataset: 'install_events',
      format: 'csv',
      frequency: 'weekly',
      timezone: 'Europe/Berlin',
      granularity: 'day',
      compression: 'none',
      csv_bom: false,
      filters: {},
      paused: false,
      recipients: ['Ops@Example.com', 'dev@example.com'],
    });
    const next = new Date(res.body.next_run_at);
    expect(next.getTime()).toBe(nextRunAt('weekly', 'Europe/Berlin', new Date(before)).getTime());
    expect(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Berlin',
        weekday: 'long',
        hour: '2-digit',
        minute: '2-digit',
      }).format(next),
    ).toBe('Monday 06:00');
    expect(Date.parse(res.body.created_at)).toBeGreaterThanOrEqual(before - 1000);
    const schedulers = await listReportSchedulers(h.queues);
    expect(schedulers.get(res.body.id)).toEqual({ pattern: '0 6 * * 1', tz: 'Europe/Berlin' });
  });

  it('refuses bad input with 400 naming each field, and writes nothing', async () => {
    const before = await count();
    const cases: [unknown, string[]][] = [
      [{ ...valid, colour: 'red' }, ['colour']],
      [{ ...valid, frequency: 'daily' }, ['frequency']],
      [{ ...valid, recipients: [] }, ['recipients']],
      [{ ...valid, recipients: ['not-an-address'] }, ['recipients.0']],
      [{ ...valid, recipients: ['ok@example.com', 'a@example.com\r\nBcc: victim@example.org'] }, ['recipients.1']],
      [{ ...valid, recipients: ['Someone <a@example.com>'] }, ['recipients.0']],
      [{ ...valid, recipients: Array.from({ length: 51 }, (_, i) => `r${i}@example.com`) }, ['recipients']],
      [{ ...valid, name: 'Report\nBcc: x@example.org' }, ['name']],
      [{ ...valid, timezone: 'Mars/Base' }, ['timezone']],
      [{ ...valid, format: 'xml', dataset: 'nope' }, ['dataset', 'format']],
      [{ dataset: 'install_events', format: 'csv' }, ['frequency', 'recipients']],
    ];
    for (const [body, expected] of cases) {
      const res = await api(pubA).post('/v1/schedules', body);
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(expected.sort());
    }
    expect(await count()).toBe(before);
  });

  it("refuses other publishers' packages (404) and unauthenticated callers (401)", async () => {
    expect((await api(pubA).post('/v1/schedules', { ...valid, filters: { package_ids: ['pkg-b1'] } })).status).toBe(
      404,
    );
    expect((await api(pubA).post('/v1/schedules', { ...valid, filters: { publisher_id: 'pub-b' } })).status).toBe(400);
    expect((await request(h.app).post('/v1/schedules').send(valid)).status).toBe(401);
  });

  // Needs the admin-only datasets registered (datasets work, issue 2 branch); authorizeSpec is shared with exports.
  it('refuses admin-only datasets to publishers with 403, on create and on change', async () => {
    expect((await api(pubA).post('/v1/schedules', { ...valid, dataset: 'marketplace_summary' })).status).toBe(403);
    expect((await api(admin).post('/v1/schedules', { ...valid, dataset: 'marketplace_summary' })).status).toBe(201);
    const created = (await api(pubA).post('/v1/schedules', valid)).body;
    expect((await api(pubA).patch(`/v1/schedules/${created.id}`, { dataset: 'leaderboard_history' })).status).toBe(403);
    expect((await api(pubA).get(`/v1/schedules/${created.id}`)).body.dataset).toBe('install_events');
  });
});

describe('reading, changing and deleting schedules', () => {
  it('shows a publisher only its own schedules; others get 404', async () => {
    const mine = (await api(pubB).post('/v1/schedules', { ...valid, name: 'B only' })).body;
    const listB = await api(pubB).get('/v1/schedules');
    expect(listB.status).toBe(200);
    expect(listB.body.data.map((s: { id: string }) => s.id)).toEqual([mine.id]);
    const listA = await api(pubA).get('/v1/schedules');
    expect(listA.body.data.map((s: { id: string }) => s.id)).not.toContain(mine.id);
    const listAdmin = await api(admin).get('/v1/schedules?limit=100');
    expect(listAdmin.body.data.map((s: { id: string }) => s.id)).toContain(mine.id);
    expect((await api(pubB).get(`/v1/schedules/${mine.id}`)).body.name).toBe('B only');
    for (const res of [
      await api(pubA).get(`/v1/schedules/${mine.id}`),
      await api(pubA).patch(`/v1/schedules/${mine.id}`, { paused: true }),
      await api(pubA).get(`/v1/schedules/${mine.id}/runs`),
      await api(pubA).post(`/v1/schedules/${mine.id}/runs`, { period_start: '2026-01-05' }),
      await api(pubA).del(`/v1/schedules/${mine.id}`),
      await api(pubA).get('/v1/schedules/not-a-uuid'),
    ])
      expect(res.status).toBe(404);
    expect((await api(pubB).get(`/v1/schedules/${mine.id}`)).body.paused).toBe(false);
  });

  it('keeps next_run_at true after changing zone and frequency, null while paused, and aligns the scheduler', async () => {
    const created = (await api(pubA).post('/v1/schedules', valid)).body;
    const path = `/v1/schedules/${created.id}`;
    let before = Date.now();
    let res = await api(pubA).patch(path, { timezone: 'America/New_York' });
    expect(res.status).toBe(200);
    expect(res.body.next_run_at).toBe(nextRunAt('weekly', 'America/New_York', new Date(before)).toISOString());
    before = Date.now();
    res = await api(pubA).patch(path, { frequency: 'monthly', timezone: 'Asia/Tokyo' });
    expect(res.body.next_run_at).toBe(nextRunAt('monthly', 'Asia/Tokyo', new Date(before)).toISOString());
    expect(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Tokyo',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(res.body.next_run_at)),
    ).toBe('1, 06:00');
    expect((await listReportSchedulers(h.queues)).get(created.id)).toEqual({
      pattern: cronPattern('monthly'),
      tz: 'Asia/Tokyo',
    });

    res = await api(pubA).patch(path, { paused: true });
    expect(res.body).toMatchObject({ paused: true, next_run_at: null });
    expect((await listReportSchedulers(h.queues)).has(created.id)).toBe(false);
    res = await api(pubA).patch(path, { paused: false, recipients: ['new@example.com', 'NEW@example.com'] });
    expect(res.body).toMatchObject({ paused: false, recipients: ['new@example.com'] });
    expect(res.body.next_run_at).not.toBeNull();
    expect((await listReportSchedulers(h.queues)).has(created.id)).toBe(true);

    for (const body of [{ colour: 'red' }, { frequency: 'hourly' }, { recipients: ['x'] }, { paused: 'yes' }]) {
      const bad = await api(pubA).patch(path, body);
      expect(bad.status).toBe(400);
    }
    expect((await api(pubA).get(path)).body.recipients).toEqual(['new@example.com']);
  });

  it('pages newest first with a cursor that survives deleting its schedule; an unknown or foreign cursor is a 400', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i++)
      mine.push((await api(pubA).post('/v1/schedules', { ...valid, name: `page ${i}` })).body.id);
    const first = await api(pubA).get('/v1/schedules?limit=2');
    expect(first.body.data.map((s: { id: string }) => s.id)).toEqual([mine[4], mine[3]]);
    expect(first.body.next_cursor).toBe(mine[3]);
    expect((await api(pubA).del(`/v1/schedules/${mine[3]}`)).status).toBe(204); // the page's last one, deleted meanwhile
    const second = await api(pubA).get(`/v1/schedules?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.status).toBe(200);
    expect(second.body.data.map((s: { id: string }) => s.id)).toEqual([mine[2], mine[1]]);
    const foreign = (await api(pubB).post('/v1/schedules', { ...valid, name: 'not yours' })).body.id;
    for (const cursor of ['00000000-0000-4000-8000-000000000000', foreign]) {
      const res = await api(pubA).get(`/v1/schedules?cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['cursor']);
    }
  });

  it('deletes a schedule and its job scheduler', async () => {
    const created = (await api(pubA).post('/v1/schedules', valid)).body;
    const res = await api(pubA).del(`/v1/schedules/${created.id}`);
    expect(res.status).toBe(204);
    expect((await api(pubA).get(`/v1/schedules/${created.id}`)).status).toBe(404);
    expect((await api(pubA).del(`/v1/schedules/${created.id}`)).status).toBe(404);
    expect((await listReportSchedulers(h.queues)).has(created.id)).toBe(false);
  });
});

describe('backfill requests', () => {
  it('refuses periods that are not aligned, not complete or outside retention with 422, malformed dates with 400', async () => {
    const weekly = (await api(pubA).post('/v1/schedules', valid)).body;
    const monthly = (await api(pubA).post('/v1/schedules', { ...valid, frequency: 'monthly' })).body;
    const runs = async (id: string, body: unknown) => api(pubA).post(`/v1/schedules/${id}/runs`, body);
    const thisMonday = nextRunAt('weekly', 'UTC', new Date(Date.now() - 7 * 86400_000))
      .toISOString()
      .slice(0, 10);
    const thisMonth = new Date().toISOString().slice(0, 8) + '01';
    const expectations: [string, unknown, number, string][] = [
      [weekly.id, { period_start: '2026-01-06' }, 422, 'period_not_aligned'],
      [monthly.id, { period_start: '2026-01-05' }, 422, 'period_not_aligned'],
      [weekly.id, { period_start: thisMonday }, 422, 'period_not_complete'],
      [monthly.id, { period_start: thisMonth }, 422, 'period_not_complete'],
      [weekly.id, { period_start: '2020-01-06' }, 422, 'outside_retention'],
      [monthly.id, { period_start: '2020-01-01' }, 422, 'outside_retention'],
      [weekly.id, { period_start: 'last week' }, 400, 'invalid_request'],
      [weekly.id, { period_start: '2026-01-05', extra: 1 }, 400, 'invalid_request'],
    ];
    for (const [id, body, status, code] of expectations) {
      const res = await runs(id, body);
      expect([res.status, res.body.error?.code]).toEqual([status, code]);
    }
    expect((await h.db.sql`select count(*)::int as n from app.schedule_runs`)[0]!.n).toBe(0);
  });
});

describe('with Redis down', () => {
  it('still records the schedule (201); the reconciler creates its job scheduler later; backfills answer 503', async () => {
    const dead = producerConnection('redis://127.0.0.1:1'); // nothing listens there
    const queues = createQueues(dead, h.prefix);
    const app = buildApp({
      sql: h.db.sql,
      redis: dead,
      queues,
      storage: h.storage,
      logger: createLogger('test', 'silent'),
      reports: { linkSecret: TEST_LINK_SECRET, recipientDomains: [] },
      retentionMonths: TEST_RETENTION_MONTHS,
    });
    try {
      const res = await request(app).post('/v1/schedules').set('Authorization', `Bearer ${pubA}`).send(valid);
      expect(res.status).toBe(201);
      expect(res.body.next_run_at).not.toBeNull();
      expect((await listReportSchedulers(h.queues)).has(res.body.id)).toBe(false);
      const backfill = await request(app)
        .post(`/v1/schedules/${res.body.id}/runs`)
        .set('Authorization', `Bearer ${pubA}`)
        .send({ period_start: '2026-01-05' });
      expect(backfill.status).toBe(503);
      expect(
        (await h.db.sql`select count(*)::int as n from app.schedule_runs where schedule_id = ${res.body.id}`)[0]!.n,
      ).toBe(0);

      const result = await h.reconcile({ catchUpPeriods: 0 });
      expect(result!.created).toBeGreaterThanOrEqual(1);
      expect((await listReportSchedulers(h.queues)).get(res.body.id)).toEqual({ pattern: '0 6 * * 1', tz: 'UTC' });
    } finally {
      await queues.close().catch(() => {});
      dead.disconnect();
    }
  });
});
