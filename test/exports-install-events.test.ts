// API → queue → worker → S3 → download for install_events, on the real services.
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { retentionCutoff } from '@ax/retention';
import { apiKey, basicMarketplace, daysAgo, isoDay, TEST_RETENTION_MONTHS } from '@ax/testing';
import { createHarness, fetchBytes, waitForExport, type Harness } from './support/harness';

let h: Harness;
let admin: string;
let pubA: string;
const day1 = daysAgo(3, 0); // midnight UTC three days ago
const day2 = daysAgo(2, 0);
const day4 = daysAgo(0, 0);
const at = (base: Date, hours: number, minutes = 0) => new Date(base.getTime() + hours * 3600_000 + minutes * 60_000);
const utc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  h = await createHarness('ie');
  await basicMarketplace(h.db.sql);
  await h.db.sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date) values
      ('pkg-a1', '1.0.0', 't1', 'eu-west', 'DE', ${at(day1, 1)}),
      ('pkg-a2', '2.0.0', 't2', 'us-east', 'US', ${at(day1, 5, 30)}),
      ('pkg-a1', '1.0.1', 't1', 'eu-west', 'DE', ${at(day2, 10)}),
      ('pkg-b1', '9.9.9', 't9', 'ap-south', 'IN', ${at(day2, 11)})`;
  admin = await apiKey(h.db.sql, 'admin');
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  await h.startWorker();
});
afterAll(() => h.close());

const post = (token: string, body: unknown, headers: Record<string, string> = {}) =>
  request(h.app)
    .post('/v1/exports')
    .set('Authorization', `Bearer ${token}`)
    .set(headers)
    .send(body as object);

async function download(token: string, id: string): Promise<Buffer> {
  const res = await request(h.app).get(`/v1/exports/${id}/download`).set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(302);
  return fetchBytes(res.headers.location!);
}

describe('install_events CSV', () => {
  it("exports only the publisher's own packages, exactly as the contract formats them", async () => {
    const res = await post(pubA, { dataset: 'install_events', format: 'csv', from: isoDay(day1), to: isoDay(day4) });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/v1/exports/${res.body.id}`);
    expect(res.body.status).toBe('queued');
    const done = await waitForExport(h.app, pubA, res.body.id);
    expect(done.status).toBe('succeeded');
    const bytes = await download(pubA, res.body.id);
    expect(bytes.toString('utf8')).toBe(
      'package_id,version,tenant_region,install_date\r\n' +
        `pkg-a1,1.0.0,eu-west,${utc(at(day1, 1))}\r\n` +
        `pkg-a2,2.0.0,us-east,${utc(at(day1, 5, 30))}\r\n` +
        `pkg-a1,1.0.1,eu-west,${utc(at(day2, 10))}\r\n`,
    );
    expect(done.result).toMatchObject({
      row_count: 3,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      content_type: 'text/csv; charset=utf-8',
      file_name: `install_events_${isoDay(day1)}_${isoDay(day4)}.csv`,
    });
    expect(done.progress.rows_written).toBe(3);
    expect(done.result.download_url).toMatch(/^http/);
    expect(new Date(done.result.download_url_expires_at).getTime()).toBeGreaterThan(Date.now());
  });

  it("gives an admin every publisher's rows, gzip-compressed with a BOM when asked", async () => {
    const res = await post(admin, {
      dataset: 'install_events',
      format: 'csv',
      from: isoDay(day1),
      to: isoDay(day4),
      compression: 'gzip',
      csv_bom: true,
    });
    expect(res.status).toBe(202);
    const done = await waitForExport(h.app, admin, res.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.result.content_type).toBe('application/gzip');
    expect(done.result.file_name).toMatch(/\.csv\.gz$/);
    const bytes = await download(admin, res.body.id);
    expect(done.result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const text = gunzipSync(bytes).toString('utf8');
    expect(text.startsWith('\uFEFFpackage_id,')).toBe(true);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(5);
    expect(text).toContain('pkg-b1,9.9.9,ap-south');
  });

  it('lets an admin narrow to one publisher and packages', async () => {
    const res = await post(admin, {
      dataset: 'install_events',
      format: 'csv',
      from: isoDay(day1),
      to: isoDay(day4),
      filters: { publisher_id: 'pub-b' },
    });
    const done = await waitForExport(h.app, admin, res.body.id);
    const text = (await download(admin, res.body.id)).toString();
    expect(done.result.row_count).toBe(1);
    expect(text).toContain('pkg-b1');
    expect(text).not.toContain('pkg-a');
  });
});

describe('install_events JSON', () => {
  it('returns every day of the range, zero-filled, with counts from PostgreSQL', async () => {
    const from = isoDay(day1);
    const to = isoDay(daysAgo(-1, 0));
    const res = await post(pubA, { dataset: 'install_events', format: 'json', from, to, granularity: 'day' });
    expect(res.status).toBe(202);
    const done = await waitForExport(h.app, pubA, res.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.result.content_type).toBe('application/json');
    const doc = JSON.parse((await download(pubA, res.body.id)).toString());
    const days = [0, 1, 2, 3].map((i) => isoDay(new Date(day1.getTime() + i * 86400_000)));
    expect(doc).toEqual({
      dataset: 'install_events',
      granularity: 'day',
      timezone: 'UTC',
      from,
      to,
      periods: [
        { period_start: days[0], period_end: days[1], metrics: { install_count: 2, unique_tenants: 2 } },
        { period_start: days[1], period_end: days[2], metrics: { install_count: 1, unique_tenants: 1 } },
        { period_start: days[2], period_end: days[3], metrics: { install_count: 0, unique_tenants: 0 } },
        { period_start: days[3], period_end: to, metrics: { install_count: 0, unique_tenants: 0 } },
      ],
    });
    expect(done.result.row_count).toBe(4);
  });
});

describe('POST /v1/exports input', () => {
  const count = async () => (await h.db.sql`select count(*)::int as n from app.exports`)[0]!.n as number;
  const waiting = () => h.queues.exports.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');

  it('refuses bad input with 400 naming each field, writing and enqueuing nothing', async () => {
    const before = await count();
    const jobsBefore = await waiting();
    const cases: [unknown, string[]][] = [
      [{ dataset: 'nope', format: 'csv', from: '2026-01-01', to: '2026-01-02' }, ['dataset']],
      [{ dataset: 'install_events', format: 'xml', from: 'yesterday', to: '2026-01-02' }, ['format', 'from']],
      [
        {
          dataset: 'install_events',
          format: 'csv',
          from: '2026-02-30',
          to: isoDay(day2),
          timezone: 'Mars/Base',
          granularity: 'hour',
        },
        ['from', 'timezone', 'granularity'],
      ],
      [
        {
          dataset: 'install_events',
          format: 'csv',
          from: isoDay(day1),
          to: isoDay(day2),
          colour: 'red',
          size: 1,
          filters: { publisher: 'x' },
        },
        ['colour', 'size', 'filters.publisher'],
      ],
      [{ dataset: 'install_events', format: 'csv', from: 'yesterday', to: '2026-13-40' }, ['from', 'to']],
      [{ dataset: 'install_events', format: 'csv', from: isoDay(day2), to: isoDay(day1) }, ['to']],
      [
        { dataset: 'install_events', format: 'csv', from: isoDay(day1), to: isoDay(day2), timezone: 'Mars/Base' },
        ['timezone'],
      ],
      [{ dataset: 'install_events', format: 'csv', from: isoDay(day1), to: isoDay(day2), colour: 'red' }, ['colour']],
      [
        {
          dataset: 'install_events',
          format: 'csv',
          from: isoDay(day1),
          to: isoDay(day2),
          filters: { publisher_id: 'pub-b' },
        },
        ['filters.publisher_id'],
      ],
    ];
    // Problems found at different stages come back together: the range's with the filters', the header's with the body's.
    cases.push([
      {
        dataset: 'install_events',
        format: 'csv',
        from: isoDay(day2),
        to: isoDay(day1),
        filters: { publisher_id: 'pub-b' },
      },
      ['filters.publisher_id', 'to'],
    ]);
    const withKey = await post(
      pubA,
      { dataset: 'install_events', format: 'xml', from: isoDay(day1), to: isoDay(day2) },
      { 'Idempotency-Key': 'has a space' },
    );
    expect(withKey.status).toBe(400);
    expect(withKey.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'Idempotency-Key',
      'format',
    ]);
    for (const [body, fields] of cases) {
      const res = await post(pubA, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(fields.sort());
    }
    const malformed = await request(h.app)
      .post('/v1/exports')
      .set('Authorization', `Bearer ${pubA}`)
      .set('Content-Type', 'application/json')
      .send('{"dataset":');
    expect(malformed.status).toBe(400);
    expect(await count()).toBe(before);
    expect(await waiting()).toEqual(jobsBefore);
  });

  it('refuses a range before the retention cutoff with 422, and accepts one from the cutoff on', async () => {
    const res = await post(pubA, {
      dataset: 'install_events',
      format: 'csv',
      from: isoDay(daysAgo(800)),
      to: isoDay(day1),
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('outside_retention');
    const cutoff = retentionCutoff(new Date(), TEST_RETENTION_MONTHS);
    const dayBefore = isoDay(new Date(Date.parse(`${cutoff}T00:00:00Z`) - 86400_000));
    const justBefore = await post(pubA, {
      dataset: 'install_events',
      format: 'csv',
      from: dayBefore,
      to: isoDay(day1),
    });
    expect(justBefore.status).toBe(422);
    expect(justBefore.body.error.details).toEqual([{ field: 'from', message: `Must be on or after ${cutoff}.` }]);
    const fromCutoff = await post(pubA, { dataset: 'install_events', format: 'csv', from: cutoff, to: isoDay(day1) });
    expect(fromCutoff.status).toBe(202);
    expect((await waitForExport(h.app, pubA, fromCutoff.body.id)).status).toBe('succeeded');
  });

  it("answers 404 for another publisher's package and 401 without a valid token", async () => {
    const res = await post(pubA, {
      dataset: 'install_events',
      format: 'csv',
      from: isoDay(day1),
      to: isoDay(day2),
      filters: { package_ids: ['pkg-b1'] },
    });
    expect(res.status).toBe(404);
    expect((await request(h.app).post('/v1/exports').send({})).status).toBe(401);
    expect((await post('axk_not-a-real-token', {})).status).toBe(401);
  });

  it("hides other principals' exports behind 404", async () => {
    const res = await post(admin, { dataset: 'install_events', format: 'csv', from: isoDay(day1), to: isoDay(day2) });
    const other = await request(h.app).get(`/v1/exports/${res.body.id}`).set('Authorization', `Bearer ${pubA}`);
    expect(other.status).toBe(404);
    const dl = await request(h.app).get(`/v1/exports/${res.body.id}/download`).set('Authorization', `Bearer ${pubA}`);
    expect(dl.status).toBe(404);
    await waitForExport(h.app, admin, res.body.id);
  });
});
