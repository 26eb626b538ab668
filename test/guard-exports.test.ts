// Guard rails of running exports (issue 14): analytics queries under a statement_timeout, a spool on local disk
// bounded by EXPORT_SPOOL_MAX_BYTES, and export files deleted EXPORT_FILE_TTL_DAYS after they were written.
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import request from 'supertest';
import { getDataset, planTimeSlices, type DatasetScope } from '@ax/datasets';
import { sweepExpiredFiles } from '@ax/retention-worker';
import { signReportLink } from '@ax/storage';
import { apiKey, basicMarketplace, daysAgo, isoDay } from '@ax/testing';
import { createHarness, TEST_LINK_SECRET, waitForExport, type Harness } from './support/harness';

let h: Harness;
let admin: string;
const from = isoDay(daysAgo(20, 0));
const to = isoDay(daysAgo(-1, 0));

beforeAll(async () => {
  h = await createHarness('gexp', { activeExports: 50 });
  await basicMarketplace(h.db.sql);
  await h.db.sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
    select (array['pkg-a1','pkg-a2','pkg-b1'])[1 + g % 3], '1.0.' || (g % 7), 't' || (g % 999), 'eu-west', 'DE',
           now() - interval '19 days' + (g::float8 / 300000) * interval '18 days'
    from generate_series(1, 300000) g`;
  await h.db.sql`analyze analytics.install_events`;
  admin = await apiKey(h.db.sql, 'admin');
});
afterAll(() => h.close());

const post = (b: object) => request(h.app).post('/v1/exports').set('Authorization', `Bearer ${admin}`).send(b);

describe('ANALYTICS_STATEMENT_TIMEOUT_MS', () => {
  it('stops an analytics query that runs past it: the export fails with query_timeout, without retries', async () => {
    const worker = await h.startWorker({ statementTimeoutMs: 40, copyParallelism: 1 });
    try {
      for (const format of ['csv', 'json'] as const) {
        const res = await post({ dataset: 'install_events', format, from, to });
        expect(res.status).toBe(202);
        const done = await waitForExport(h.app, admin, res.body.id);
        expect({ format, status: done.status, error: done.error?.code }).toEqual({
          format,
          status: 'failed',
          error: 'query_timeout',
        });
        const [row] = await h.db.sql<
          { attempts: number }[]
        >`select attempts from app.exports where id = ${res.body.id}`;
        expect(row!.attempts).toBe(1);
      }
    } finally {
      await worker.close();
    }
  });
});

describe('EXPORT_SPOOL_MAX_BYTES', () => {
  const installs = getDataset('install_events')!;
  const scope: DatasetScope = {
    from: daysAgo(20, 0),
    to: daysAgo(-1, 0),
    timezone: 'UTC',
    granularity: 'day',
    publisherId: null,
    packageIds: null,
  };
  it('fewer slices when the later ones would spool more than the bound; one slice spools nothing', async () => {
    expect(await planTimeSlices(h.db.sql, installs, scope, { maxSlices: 3, minRowsPerSlice: 0 })).toHaveLength(3);
    // 300k rows, estimated from a block sample (±30%: 210k–390k). Two slices spool half of that (105k–195k): a bound
    // of 250k allows two (three would spool 140k–260k, either way), a bound of 100k allows only one.
    const bounded = (maxSpoolRows: number) =>
      planTimeSlices(h.db.sql, installs, scope, { maxSlices: 3, minRowsPerSlice: 0, maxSpoolRows });
    expect((await bounded(250_000)).length).toBeGreaterThanOrEqual(2);
    expect(await bounded(100_000)).toEqual([scope]);
    expect(await bounded(1000)).toEqual([scope]);
  });
  it('an export under a tiny bound still writes the whole file', async () => {
    const worker = await h.startWorker({ spoolMaxBytes: 1 });
    try {
      const res = await post({ dataset: 'install_events', format: 'csv', from, to });
      const done = await waitForExport(h.app, admin, res.body.id);
      expect(done.status).toBe('succeeded');
      expect(done.result.row_count).toBe(300_000);
    } finally {
      await worker.close();
    }
  });
});

describe('EXPORT_FILE_TTL_DAYS', () => {
  const objectExists = async (key: string) =>
    h.storage.client.send(new HeadObjectCommand({ Bucket: h.storage.bucket, Key: key })).then(
      () => true,
      () => false,
    );

  it('deletes files past their time, marks the exports expired (figures kept, no link), and their links answer 410', async () => {
    const worker = await h.startWorker();
    const ids: string[] = [];
    try {
      for (const format of ['csv', 'json', 'csv'] as const) {
        const res = await post({ dataset: 'install_events', format, from, to, granularity: 'week' });
        const done = await waitForExport(h.app, admin, res.body.id);
        expect(done.status).toBe('succeeded');
        ids.push(res.body.id);
      }
    } finally {
      await worker.close();
    }
    const [old1, old2, young] = ids as [string, string, string];
    await h.db
      .sql`update app.exports set finished_at = now() - interval '31 days' where id in ${h.db.sql([old1, old2])}`;
    await h.db.sql`update app.exports set finished_at = now() - interval '29 days' where id = ${young}`;
    const before = await h.db.sql<{ id: string; s3_key: string; row_count: number; bytes: number; sha256: string }[]>`
      select id, s3_key, row_count, bytes, sha256 from app.exports where id in ${h.db.sql(ids)}`;
    const byId = new Map(before.map((r) => [r.id, r]));

    // Three replicas sweep at once: each file is deleted and each export expired once, nothing fails.
    const counts = await Promise.all(
      [1, 2, 3].map(() => sweepExpiredFiles({ sql: h.db.sql, storage: h.storage, ttlDays: 30 })),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await sweepExpiredFiles({ sql: h.db.sql, storage: h.storage, ttlDays: 30 })).toBe(0);

    for (const id of [old1, old2]) {
      expect(await objectExists(byId.get(id)!.s3_key)).toBe(false);
      const got = await request(h.app).get(`/v1/exports/${id}`).set('Authorization', `Bearer ${admin}`);
      expect(got.body.status).toBe('expired');
      expect(got.body.result).toMatchObject({
        row_count: byId.get(id)!.row_count,
        bytes: byId.get(id)!.bytes,
        sha256: byId.get(id)!.sha256,
      });
      expect(got.body.result).not.toHaveProperty('download_url');
      const dl = await request(h.app).get(`/v1/exports/${id}/download`).set('Authorization', `Bearer ${admin}`);
      expect(dl.status).toBe(410);
      expect(dl.body.error.code).toBe('expired');
      // The e-mail link of a delivery that carried this export (links are per delivery).
      const [delivery] = await h.db.sql<{ id: string }[]>`
        with s as (insert into app.schedules (dataset, format, frequency, recipients) values ('install_events', 'csv', 'weekly', '{r@example.com}') returning id),
             r as (insert into app.schedule_runs (schedule_id, period_start, period_end, status, export_id)
                   select s.id, now() - interval '7 days', now(), 'succeeded', ${id} from s returning id)
        insert into app.deliveries (run_id, recipient, status, sent_at) select r.id, 'r@example.com', 'sent', now() from r returning id`;
      const token = signReportLink(TEST_LINK_SECRET, delivery!.id, new Date(Date.now() + 7 * 86400_000));
      const page = await request(h.app).get(`/v1/report-links/${token}`);
      expect(page.status).toBe(410);
      const json = await request(h.app).get(`/v1/report-links/${token}`).set('Accept', 'application/json');
      expect(json.status).toBe(410);
      expect(json.body.error.code).toBe('expired');
    }
    expect(await objectExists(byId.get(young)!.s3_key)).toBe(true);
    const list = await request(h.app).get('/v1/exports?status=expired').set('Authorization', `Bearer ${admin}`);
    expect(list.body.data.map((e: { id: string }) => e.id).sort()).toEqual([old1, old2].sort());
  });
});
