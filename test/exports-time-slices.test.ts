// Large raw-rows CSV exports are copied in time slices (planTimeSlices + withCopyStream): the plan follows where
// the rows are, small exports stay one query, and the file is the same as one query's.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { getDataset, planTimeSlices, type DatasetScope } from '@ax/datasets';
import { apiKey, basicMarketplace } from '@ax/testing';
import { createHarness, fetchBytes, waitForExport, type Harness } from './support/harness';

let h: Harness;
const from = new Date('2026-03-01T00:00:00Z');
const to = new Date('2026-05-01T00:00:00Z');
const scope: DatasetScope = { from, to, timezone: 'UTC', granularity: 'day', publisherId: null, packageIds: null };
const installs = getDataset('install_events')!;

beforeAll(async () => {
  h = await createHarness('slices');
  await basicMarketplace(h.db.sql);
  await h.db.sql`select analytics.ensure_month_partitions('install_events', '2026-03-01', '2026-04-01')`;
  // 300,000 installs, four in five in the last ten days of April, inserted in random order. Every install has its own
  // second: rows at the same instant have no defined order (install_events has no key), so files could differ there.
  await h.db.sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
    select case when g % 3 = 0 then 'pkg-b1' else 'pkg-a1' end, '1.0.' || (g % 7), 't' || (g % 1000), 'eu-west', 'DE',
           case when g % 5 = 0 then timestamptz '2026-03-01' + g * interval '10 seconds'
                else timestamptz '2026-04-21' + g * interval '2 seconds' end
    from generate_series(1, 300000) g order by random()`;
  await h.db.sql`analyze analytics.install_events`;
}, 120_000);
afterAll(() => h.close());

const rowsIn = async (s: DatasetScope) =>
  (
    await h.db
      .sql`select count(*)::int as n from analytics.install_events where install_date >= ${s.from} and install_date < ${s.to}`
  )[0]!.n as number;

it('cuts where the rows are, not where the time is, plan after plan', async () => {
  // Each plan draws a new sample. With a sample of 1% of this table (~22 blocks over two partitions), about 1 plan in 100
  // put a fifth of the rows or less in the first slice; reading ~150 blocks kept 400 of 400 plans within 45-55%.
  for (let plan = 0; plan < 10; plan++) {
    const slices = await planTimeSlices(h.db.sql, installs, scope, { maxSlices: 2, minRowsPerSlice: 50_000 });
    expect(slices).toHaveLength(2);
    expect(slices[0]!.from).toEqual(from);
    expect(slices[1]!.to).toEqual(to);
    expect(slices[1]!.from).toEqual(slices[0]!.to);
    // An even split of the time would put a fifth of the rows in the first half; the sample's median is in late April.
    expect(slices[0]!.to.getTime()).toBeGreaterThan(new Date('2026-04-21T00:00:00Z').getTime());
    const first = await rowsIn(slices[0]!);
    expect(first).toBeGreaterThan(300_000 * 0.3);
    expect(first).toBeLessThan(300_000 * 0.7);
  }
});

it('keeps small exports, and datasets whose CSV is not in time order, to one query', async () => {
  expect(await planTimeSlices(h.db.sql, installs, scope, { maxSlices: 2 })).toEqual([scope]); // 300k < 2 × 250k
  expect(
    await planTimeSlices(
      h.db.sql,
      installs,
      { ...scope, packageIds: ['pkg-a2'] },
      { maxSlices: 4, minRowsPerSlice: 50_000 },
    ),
  ).toHaveLength(1);
  // ~100k rows: the sample's count is good to a few percent, and 4 slices of 10k are far below it.
  expect(
    await planTimeSlices(
      h.db.sql,
      installs,
      { ...scope, publisherId: 'pub-b' },
      { maxSlices: 4, minRowsPerSlice: 10_000 },
    ),
  ).toHaveLength(4);
  expect(await planTimeSlices(h.db.sql, installs, scope, { maxSlices: 1, minRowsPerSlice: 0 })).toEqual([scope]);
  expect(
    await planTimeSlices(h.db.sql, getDataset('geographic_summary')!, scope, { maxSlices: 4, minRowsPerSlice: 0 }),
  ).toEqual([scope]);
});

it('an export copied in slices is byte for byte the export copied in one query', async () => {
  const admin = await apiKey(h.db.sql, 'admin');
  const exportSha = async (parallelism: number) => {
    const worker = await h.startWorker({ copyParallelism: parallelism, minRowsPerSlice: 1000 });
    try {
      const res = await request(h.app)
        .post('/v1/exports')
        .set('Authorization', `Bearer ${admin}`)
        .send({ dataset: 'install_events', format: 'csv', from: '2026-03-01', to: '2026-05-01', csv_bom: true });
      expect(res.status).toBe(202);
      const done = await waitForExport(h.app, admin, res.body.id, 60_000);
      expect(done.status).toBe('succeeded');
      const bytes = await fetchBytes(done.result.download_url);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(done.result.sha256);
      return { sha: done.result.sha256 as string, rows: done.result.row_count as number, bytes: bytes.length };
    } finally {
      await worker.close();
    }
  };
  const one = await exportSha(1);
  const four = await exportSha(4);
  expect(one.rows).toBe(300_000);
  expect(four).toEqual(one);
});
