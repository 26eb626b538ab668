// Guard rails of the API (issue 14): malformed paths, owner filters that must not fail open, unbounded work
// from one request, and what internal failures may tell a caller.
import request from 'supertest';
import { createApiKey, getExport, listExports } from '@ax/db';
import { createMetrics } from '@ax/runtime';
import { apiKey, basicMarketplace, daysAgo, isoDay } from '@ax/testing';
import { createHarness, type Harness } from './support/harness';

let h: Harness;
let admin: string;
let pubA: string;
const from = isoDay(daysAgo(20, 0));
const to = isoDay(daysAgo(-1, 0));

beforeAll(async () => {
  h = await createHarness('guard', { activeExports: 20, metrics: createMetrics('api') });
  await basicMarketplace(h.db.sql);
  admin = await apiKey(h.db.sql, 'admin');
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
});
afterAll(() => h.close());

const expectErrorShape = (body: unknown, code?: string) => {
  expect(body).toEqual({
    error: { code: code ?? expect.any(String), message: expect.any(String), details: expect.any(Array) },
  });
};

describe('malformed percent-encoding', () => {
  it.each([
    '/v1/exports/%ZZ',
    '/v1/schedules/%ZZ',
    '/v1/report-links/%ZZ',
    '/v1/exports/%E0%A4%A/download',
    '/v1/schedules/%/runs',
  ])('GET %s → 400 in the error shape, never 500', async (path) => {
    const res = await request(h.app).get(path).set('Authorization', `Bearer ${admin}`);
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'invalid_request');
  });
  it('DELETE /v1/exports/%ZZ → 400', async () => {
    const res = await request(h.app).delete('/v1/exports/%ZZ').set('Authorization', `Bearer ${pubA}`);
    expect(res.status).toBe(400);
  });
});

describe('owner filters', () => {
  it('a publisher viewer with an empty id sees nothing, not everything', async () => {
    const res = await request(h.app)
      .post('/v1/exports')
      .set('Authorization', `Bearer ${admin}`)
      .send({ dataset: 'install_events', format: 'csv', from, to });
    expect(res.status).toBe(202);
    const empty = { role: 'publisher', publisherId: '' } as const;
    expect(await getExport(h.db.sql, res.body.id, empty)).toBeNull();
    expect(await listExports(h.db.sql, empty, { limit: 10 })).toEqual([]);
  });
  it('the schema refuses a publisher key with an empty or blank publisher id', async () => {
    await expect(createApiKey(h.db.sql, { role: 'publisher', publisherId: '' })).rejects.toThrow();
    await expect(
      h.db.sql`insert into app.api_keys (role, publisher_id, token_hash) values ('publisher', ' ', '\\x01')`,
    ).rejects.toThrow();
  });
  it('filters refuse empty ids', async () => {
    const res = await request(h.app)
      .post('/v1/exports')
      .set('Authorization', `Bearer ${admin}`)
      .send({ dataset: 'install_events', format: 'csv', from, to, filters: { publisher_id: '', package_ids: [''] } });
    expect(res.status).toBe(400);
    expect([...new Set(res.body.error.details.map((d: { field: string }) => d.field))].sort()).toEqual([
      'filters.package_ids.0',
      'filters.publisher_id',
    ]);
  });
});

describe('bounded work', () => {
  it('a JSON export of more than 10,000 periods → 422 range_too_large; 10,000 is fine', async () => {
    const start = daysAgo(5, 0);
    const far = new Date(start.getTime() + 10_001 * 86400_000);
    const ok = new Date(start.getTime() + 10_000 * 86400_000);
    const body = (end: Date) => ({
      dataset: 'install_events',
      format: 'json',
      granularity: 'day',
      from: isoDay(start),
      to: isoDay(end),
    });
    const big = await request(h.app).post('/v1/exports').set('Authorization', `Bearer ${pubA}`).send(body(far));
    expect(big.status).toBe(422);
    expectErrorShape(big.body, 'range_too_large');
    const fine = await request(h.app).post('/v1/exports').set('Authorization', `Bearer ${pubA}`).send(body(ok));
    expect(fine.status).toBe(202);
    await request(h.app).delete(`/v1/exports/${fine.body.id}`).set('Authorization', `Bearer ${pubA}`);
    // CSV has no periods: a long range is only rows.
    const csv = await request(h.app)
      .post('/v1/exports')
      .set('Authorization', `Bearer ${pubA}`)
      .send({ ...body(far), format: 'csv' });
    expect(csv.status).toBe(202);
    await request(h.app).delete(`/v1/exports/${csv.body.id}`).set('Authorization', `Bearer ${pubA}`);
  });

  it('40 concurrent POSTs with a limit of 20 → exactly 20 × 202 and 20 × 429', async () => {
    const key = await apiKey(h.db.sql, 'publisher', 'pub-b');
    const body = { dataset: 'install_events', format: 'csv', from, to };
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        request(h.app).post('/v1/exports').set('Authorization', `Bearer ${key}`).send(body),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    const [row] = await h.db.sql<
      { n: number }[]
    >`select count(*)::int as n from app.exports where owner_publisher_id = 'pub-b'`;
    expect(row!.n).toBe(20);
  });

  it('idempotency keys older than 24 hours are purged', async () => {
    const res = await request(h.app)
      .post('/v1/exports')
      .set('Authorization', `Bearer ${admin}`)
      .set('Idempotency-Key', 'old-one')
      .send({ dataset: 'install_events', format: 'csv', from, to });
    expect(res.status).toBe(202);
    await h.db.sql`update app.idempotency_keys set created_at = now() - interval '25 hours' where key = 'old-one'`;
    const again = await request(h.app)
      .post('/v1/exports')
      .set('Authorization', `Bearer ${admin}`)
      .set('Idempotency-Key', 'new-one')
      .send({ dataset: 'install_events', format: 'csv', from, to });
    expect(again.status).toBe(202);
    const left = await h.db.sql`select key from app.idempotency_keys where key = 'old-one'`;
    expect(left).toHaveLength(0);
  });
});

describe('configured retention months everywhere', () => {
  it("the reports' catch-up never reaches before RETENTION_MONTHS (12 here, not the default 24)", async () => {
    const res = await request(h.app)
      .post('/v1/schedules')
      .set('Authorization', `Bearer ${admin}`)
      .send({ dataset: 'marketplace_summary', format: 'csv', frequency: 'monthly', recipients: ['ops@example.com'] });
    expect(res.status).toBe(201);
    await h.db.sql`update app.schedules set active_from = now() - interval '3 years' where id = ${res.body.id}`;
    const result = await h.reconcile({ catchUpPeriods: 30 }, { retentionMonths: 12 });
    expect(result?.caughtUp).toBeGreaterThan(0);
    const runs = await h.db.sql<
      { oldest: Date }[]
    >`select min(period_start) as oldest from app.schedule_runs where schedule_id = ${res.body.id}`;
    const cutoff = new Date();
    cutoff.setUTCMonth(cutoff.getUTCMonth() - 12);
    expect(runs[0]!.oldest.getTime()).toBeGreaterThanOrEqual(cutoff.getTime() - 86400_000);
  });
});

describe('exposure', () => {
  it('the API port does not serve /metrics (it is on the ops port, like the workers)', async () => {
    const res = await request(h.app).get('/metrics');
    expect(res.status).toBe(404);
    expect(res.text).not.toMatch(/ax_http_request_duration_seconds|process_cpu/);
  });
});
