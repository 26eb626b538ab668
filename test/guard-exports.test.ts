// Guard rails of running exports (issue 14): analytics queries under a statement_timeout, and a spool on local disk
// bounded by EXPORT_SPOOL_MAX_BYTES.
import request from 'supertest';
import { getDataset, planTimeSlices, type DatasetScope } from '@ax/datasets';
import { apiKey, basicMarketplace, daysAgo, isoDay } from '@ax/testing';
import { createHarness, waitForExport, type Harness } from './support/harness';

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
        expect({ format, status: done.status, error: done.error?.code }).toEqual({ format, status: 'failed', error: 'query_timeout' });
        const [row] = await h.db.sql<{ attempts: number }[]>`select attempts from app.exports where id = ${res.body.id}`;
        expect(row!.attempts).toBe(1);
      }
    } finally {
      await worker.close();
    }
  });
});

describe('EXPORT_SPOOL_MAX_BYTES', () => {
  const installs = getDataset('install_events')!;
  const scope: DatasetScope = { from: daysAgo(20, 0), to: daysAgo(-1, 0), timezone: 'UTC', granularity: 'day', publisherId: null, packageIds: null };
  it('fewer slices when the later ones would spool more than the bound; one slice spools nothing', async () => {
    expect(await planTimeSlices(h.db.sql, installs, scope, { maxSlices: 3, minRowsPerSlice: 0 })).toHaveLength(3);
    // 300k rows: 3 slices spool ~200k rows, 2 slices ~150k.
    expect(await planTimeSlices(h.db.sql, installs, scope, { maxSlices: 3, minRowsPerSlice: 0, maxSpoolRows: 175_000 })).toHaveLength(2);
    expect(await planTimeSlices(h.db.sql, installs, scope, { maxSlices: 3, minRowsPerSlice: 0, maxSpoolRows: 1000 })).toEqual([scope]);
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
