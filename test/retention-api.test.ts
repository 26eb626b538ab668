// GET /v1/retention on the real API stack: cutoff, next deletion, and per caller the months due within
// 60 days that were never exported. The route runs as of a fixed day; the mounted app is checked too.
import express from 'express';
import request from 'supertest';
import { insertExport, type NewExport, type Sql } from '@ax/db';
import { createLogger } from '@ax/runtime';
import { apiKey, basicMarketplace, TEST_RETENTION_MONTHS } from '@ax/testing';
import { requireAuth } from '../services/api/src/auth';
import { errorHandler } from '../services/api/src/errors';
import { retentionRoutes } from '../services/api/src/routes/retention';
import { createHarness, type Harness } from './support/harness';
import { resetPartitions } from './support/retention-fixtures';

let h: Harness;
let asOf: express.Express;
const tokens: Record<string, string> = {};

async function install(sql: Sql, pkg: string, at: string) {
  await sql`insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
            values (${pkg}, '1.0.0', 't', 'eu-west', 'DE', ${at}::timestamptz)`;
}

async function exportRow(sql: Sql, e: Partial<NewExport> & { from: string; to: string; status: string }) {
  const row = await insertExport(sql, {
    dataset: 'install_events',
    format: 'csv',
    compression: 'none',
    csv_bom: false,
    range_from: new Date(`${e.from}T00:00:00Z`),
    range_to: new Date(`${e.to}T00:00:00Z`),
    from_input: e.from,
    to_input: e.to,
    timezone: 'UTC',
    granularity: 'day',
    filters: {},
    scope_publisher_id: null,
    owner_publisher_id: null,
    api_key_id: null,
    ...e,
  });
  await sql`update app.exports set status = ${e.status} where id = ${row.id}`;
}

beforeAll(async () => {
  h = await createHarness('retapi');
  const sql = h.db.sql;
  await resetPartitions(sql, '2024-10', '2025-03');
  await basicMarketplace(sql);
  await sql`insert into analytics.publishers values ('pub-c', 'Publisher C')`;
  // As of 2026-11-27 the cutoff is 2024-11-27; 2024-11, 2024-12 and 2025-01 start going within 60 days.
  await install(sql, 'pkg-a1', '2024-11-28T10:00:00Z');
  await install(sql, 'pkg-a2', '2024-12-10T10:00:00Z');
  await sql`insert into analytics.reputation_events values ('r1', 'pub-a', 'featured', 25, '2025-01-05T00:00:00Z', null)`;
  await install(sql, 'pkg-b1', '2024-11-26T23:59:59Z'); // before the cutoff: already due, not "kept" data
  await install(sql, 'pkg-b1', '2024-12-15T00:00:00Z');
  await sql`insert into analytics.marketplace_daily_summary values ('2025-01-20', 5, 1, 0, 0)`;

  await exportRow(sql, {
    from: '2024-11-27',
    to: '2025-01-01',
    status: 'succeeded',
    owner_publisher_id: 'pub-a',
    scope_publisher_id: 'pub-a',
  });
  await exportRow(sql, {
    from: '2025-01-01',
    to: '2025-02-01',
    status: 'failed',
    owner_publisher_id: 'pub-a',
    scope_publisher_id: 'pub-a',
  });
  await exportRow(sql, {
    from: '2025-01-01',
    to: '2025-02-01',
    status: 'succeeded',
    owner_publisher_id: 'pub-a',
    scope_publisher_id: 'pub-a',
    filters: { package_ids: ['pkg-a1'] },
  });
  await exportRow(sql, { from: '2024-12-01', to: '2025-01-01', status: 'succeeded' }); // admin, every publisher
  await exportRow(sql, { from: '2024-11-01', to: '2025-02-01', status: 'succeeded', scope_publisher_id: 'pub-b' }); // admin, one publisher

  for (const [name, role, pub] of [
    ['admin', 'admin', null],
    ['a', 'publisher', 'pub-a'],
    ['b', 'publisher', 'pub-b'],
    ['c', 'publisher', 'pub-c'],
  ] as const)
    tokens[name] = await apiKey(sql, role, pub);

  asOf = express();
  asOf.use('/v1', requireAuth(sql));
  asOf.use(
    '/v1/retention',
    retentionRoutes({ sql, now: () => new Date('2026-11-27T12:00:00Z'), retentionMonths: TEST_RETENTION_MONTHS }),
  );
  asOf.use(errorHandler(createLogger('test', 'silent')));
});
afterAll(() => h.close());

const get = (app: express.Express, who: string) =>
  request(app).get('/v1/retention').set('Authorization', `Bearer ${tokens[who]}`);
const months = (body: { unexported_months: { month: string }[] }) => body.unexported_months.map((m) => m.month);

it('tells the cutoff and the next month to disappear, and when', async () => {
  const res = await get(asOf, 'a');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    retention_months: 24,
    today: '2026-11-27',
    cutoff: '2024-11-27',
    daily_pass: { time: '03:00', timezone: 'UTC' },
    horizon_days: 60,
    next_deletion: {
      month: '2024-11',
      from: '2024-11-27',
      to: '2024-12-01',
      deletion_starts_on: '2026-11-02',
      fully_deleted_on: '2026-12-01',
    },
  });
});

it("lists a publisher's months with data that no succeeded, unfiltered export of its own covers", async () => {
  const a = await get(asOf, 'a');
  expect(a.body.unexported_months).toEqual([
    {
      month: '2025-01',
      from: '2025-01-01',
      to: '2025-02-01',
      deletion_starts_on: '2027-01-02',
      fully_deleted_on: '2027-02-01',
    },
  ]);
  // pub-b: its 2024-11 row is before the cutoff (nothing left to save); an admin's export is not its archive.
  expect(months((await get(asOf, 'b')).body)).toEqual(['2024-12']);
  expect(months((await get(asOf, 'c')).body)).toEqual([]);
});

it("for an admin, counts only exports of every publisher's data", async () => {
  const res = await get(asOf, 'admin');
  expect(res.status).toBe(200);
  expect(months(res.body)).toEqual(['2024-11', '2025-01']);
});

it('is mounted in the API behind bearer auth', async () => {
  expect((await request(h.app).get('/v1/retention')).status).toBe(401);
  const res = await get(h.app, 'c');
  expect(res.status).toBe(200);
  expect(res.body.cutoff).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(res.body.next_deletion.month).toBe(res.body.cutoff.slice(0, 7));
  expect(res.body.unexported_months).toEqual([]);
});

it('counts an export whose file has expired since as exported', async () => {
  const sql = h.db.sql;
  await sql`update app.exports set status = 'expired' where owner_publisher_id = 'pub-a' and status = 'succeeded' and range_from = '2024-11-27T00:00:00Z'`;
  try {
    expect(months((await get(asOf, 'a')).body)).toEqual(['2025-01']);
  } finally {
    await sql`update app.exports set status = 'succeeded' where status = 'expired'`;
  }
});
