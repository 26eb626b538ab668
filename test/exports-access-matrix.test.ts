// Who sees what, on the real services: two publishers and an admin × the seven datasets × every export route
// (create, get, list, download, cancel). Files are checked byte for byte for the other publisher's data and
// for reviewer identity, and compared with exactly what the caller may see.
import request from 'supertest';
import { datasetIds, type DatasetId } from '@ax/datasets';
import { apiKey } from '@ax/testing';
import { createHarness, waitForExport, type Harness } from './support/harness';
import { download, postExport } from './support/export-client';
import { parseCsv } from './support/csv';

type Who = 'alpha' | 'bravo' | 'admin';
const publishers = ['alpha', 'bravo'] as const;
const adminOnly: DatasetId[] = ['marketplace_summary', 'leaderboard_history'];
const packageDatasets: DatasetId[] = ['install_events', 'reviews', 'version_adoption', 'geographic_summary'];
const mayExport = (who: Who, d: DatasetId) => who === 'admin' || !adminOnly.includes(d);

let h: Harness;
const token = {} as Record<Who, string>;
const range = { from: '2026-10-01', to: '2026-11-01', granularity: 'month' };

const installs = [
  {
    owner: 'alpha',
    pkg: 'pkg-alpha-1',
    version: 'v-alpha-1',
    tenant: 't-a1',
    region: 'region-alpha',
    country: 'AL',
    at: '2026-10-05T10:00:00Z',
  },
  {
    owner: 'bravo',
    pkg: 'pkg-bravo-1',
    version: 'v-bravo-1',
    tenant: 't-b1',
    region: 'region-bravo',
    country: 'BR',
    at: '2026-10-05T11:00:00Z',
  },
  {
    owner: 'alpha',
    pkg: 'pkg-alpha-2',
    version: 'v-alpha-2',
    tenant: 't-a2',
    region: 'region-alpha',
    country: 'AL',
    at: '2026-10-06T10:00:00Z',
  },
  {
    owner: 'bravo',
    pkg: 'pkg-bravo-1',
    version: 'v-bravo-1',
    tenant: 't-b2',
    region: 'region-bravo',
    country: 'BR',
    at: '2026-10-07T11:00:00Z',
  },
  {
    owner: 'bravo',
    pkg: 'pkg-bravo-1',
    version: 'v-bravo-1',
    tenant: 't-b2',
    region: 'region-bravo',
    country: 'BR',
    at: '2026-10-08T11:00:00Z',
  },
];
const reviews = [
  {
    owner: 'alpha',
    id: 'rev-alpha-1',
    pkg: 'pkg-alpha-1',
    reviewer: 'reviewer-SECRET-1',
    stars: 5,
    body: 'BODY-SECRET-1',
    at: '2026-10-05T12:00:00Z',
  },
  {
    owner: 'bravo',
    id: 'rev-bravo-1',
    pkg: 'pkg-bravo-1',
    reviewer: 'reviewer-SECRET-3',
    stars: 1,
    body: 'BODY-SECRET-3',
    at: '2026-10-06T12:00:00Z',
  },
  {
    owner: 'alpha',
    id: 'rev-alpha-2',
    pkg: 'pkg-alpha-2',
    reviewer: 'reviewer-SECRET-2',
    stars: 4,
    body: 'BODY-SECRET-2',
    at: '2026-10-09T12:00:00Z',
  },
];
// In CSV order: snapshot_date, package_id, version.
const snapshots = [
  { owner: 'alpha', day: '2026-10-04', pkg: 'pkg-alpha-1', version: 'v-alpha-1', n: 10 },
  { owner: 'bravo', day: '2026-10-04', pkg: 'pkg-bravo-1', version: 'v-bravo-1', n: 20 },
  { owner: 'alpha', day: '2026-10-11', pkg: 'pkg-alpha-1', version: 'v-alpha-1', n: 12 },
  { owner: 'alpha', day: '2026-10-11', pkg: 'pkg-alpha-2', version: 'v-alpha-2', n: 3 },
  { owner: 'bravo', day: '2026-10-11', pkg: 'pkg-bravo-1', version: 'v-bravo-1', n: 25 },
  { owner: 'bravo', day: '2026-10-18', pkg: 'pkg-bravo-1', version: 'v-bravo-1', n: 30 },
];
const reputation = [
  {
    owner: 'alpha',
    id: 'rep-alpha-1',
    type: 'alpha_bonus',
    points: 10,
    at: '2026-10-03T08:00:00Z',
    source: 'src-alpha-1',
  },
  {
    owner: 'bravo',
    id: 'rep-bravo-1',
    type: 'bravo_penalty',
    points: -7,
    at: '2026-10-04T08:00:00Z',
    source: 'src-bravo-1',
  },
  { owner: 'bravo', id: 'rep-bravo-2', type: 'bravo_penalty', points: -3, at: '2026-10-05T08:00:00Z', source: null },
];

const visible = <T extends { owner: string }>(rows: T[], who: Who) =>
  rows.filter((r) => who === 'admin' || r.owner === who);

/** The CSV rows (header first) each caller must get, straight from the fixture. */
function expectedCsv(d: DatasetId, who: Who): string[][] {
  switch (d) {
    case 'install_events':
      return [
        ['package_id', 'version', 'tenant_region', 'install_date'],
        ...visible(installs, who).map((r) => [r.pkg, r.version, r.region, r.at]),
      ];
    case 'reviews':
      return [
        ['package_id', 'star_rating', 'review_date'],
        ...visible(reviews, who).map((r) => [r.pkg, String(r.stars), r.at]),
      ];
    case 'version_adoption':
      return [
        ['package_id', 'version', 'active_tenant_count', 'snapshot_date'],
        ...visible(snapshots, who).map((r) => [r.pkg, r.version, String(r.n), r.day]),
      ];
    case 'geographic_summary':
      return [
        ['country_code', 'period_date', 'install_count'],
        ...(who === 'bravo' ? [] : [['AL', '2026-10-01', '2']]),
        ...(who === 'alpha' ? [] : [['BR', '2026-10-01', '3']]),
      ];
    case 'reputation_events':
      return [
        ['event_type', 'points', 'event_date', 'source_id'],
        ...visible(reputation, who).map((r) => [r.type, String(r.points), r.at, r.source ?? '']),
      ];
    case 'marketplace_summary':
      return [
        ['summary_date', 'total_installs', 'active_publishers', 'new_packages', 'certifications_granted'],
        ['2026-10-01', '100', '2', '1', '0'],
        ['2026-10-02', '50', '3', '0', '1'],
      ];
    case 'leaderboard_history':
      return [
        ['snapshot_date', 'publisher_id', 'rank', 'weighted_score', 'tier'],
        ['2026-10-04', 'pub-alpha', '1', '80.5', 'gold'],
        ['2026-10-04', 'pub-bravo', '2', '40', 'silver'],
      ];
  }
}

/** The metrics of the one (October) period, hand-computed per caller. */
const expectedMetrics: Record<DatasetId, Partial<Record<Who, unknown>>> = {
  install_events: {
    alpha: { install_count: 2, unique_tenants: 2 },
    bravo: { install_count: 3, unique_tenants: 2 },
    admin: { install_count: 5, unique_tenants: 4 },
  },
  reviews: {
    alpha: { review_count: 2, average_rating: 4.5, rating_counts: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 } },
    bravo: { review_count: 1, average_rating: 1, rating_counts: { 1: 1, 2: 0, 3: 0, 4: 0, 5: 0 } },
    admin: { review_count: 3, average_rating: 3.33, rating_counts: { 1: 1, 2: 0, 3: 0, 4: 1, 5: 1 } },
  },
  version_adoption: {
    alpha: {
      snapshot_date: '2026-10-11',
      versions: [
        { package_id: 'pkg-alpha-1', version: 'v-alpha-1', active_tenant_count: 12 },
        { package_id: 'pkg-alpha-2', version: 'v-alpha-2', active_tenant_count: 3 },
      ],
    },
    bravo: {
      snapshot_date: '2026-10-18',
      versions: [{ package_id: 'pkg-bravo-1', version: 'v-bravo-1', active_tenant_count: 30 }],
    },
    admin: {
      snapshot_date: '2026-10-18',
      versions: [{ package_id: 'pkg-bravo-1', version: 'v-bravo-1', active_tenant_count: 30 }],
    },
  },
  geographic_summary: {
    alpha: { install_count: 2, countries: { AL: 2 } },
    bravo: { install_count: 3, countries: { BR: 3 } },
    admin: { install_count: 5, countries: { AL: 2, BR: 3 } },
  },
  reputation_events: {
    alpha: { event_count: 1, points: 10, points_by_event_type: { alpha_bonus: 10 } },
    bravo: { event_count: 2, points: -10, points_by_event_type: { bravo_penalty: -10 } },
    admin: { event_count: 3, points: 0, points_by_event_type: { alpha_bonus: 10, bravo_penalty: -10 } },
  },
  marketplace_summary: {
    admin: { total_installs: 150, new_packages: 1, certifications_granted: 1, active_publishers: 3 },
  },
  leaderboard_history: {
    admin: {
      snapshot_date: '2026-10-04',
      entries: [
        { publisher_id: 'pub-alpha', rank: 1, weighted_score: 80.5, tier: 'gold' },
        { publisher_id: 'pub-bravo', rank: 2, weighted_score: 40, tier: 'silver' },
      ],
    },
  },
};

/** Strings that must never be in a caller's file: the other publisher's data, and reviewer identity for everyone. */
const forbidden: Record<Who, string[]> = {
  alpha: ['bravo', 'BR', 'SECRET'],
  bravo: ['alpha', 'AL', 'SECRET'],
  admin: ['SECRET'],
};

beforeAll(async () => {
  h = await createHarness('matrix');
  const sql = h.db.sql;
  await sql`insert into analytics.publishers values ('pub-alpha', 'Alpha'), ('pub-bravo', 'Bravo')`;
  await sql`insert into analytics.packages values ('pkg-alpha-1', 'pub-alpha', 'A1'), ('pkg-alpha-2', 'pub-alpha', 'A2'), ('pkg-bravo-1', 'pub-bravo', 'B1')`;
  for (const r of installs)
    await sql`insert into analytics.install_events values (${r.pkg}, ${r.version}, ${r.tenant}, ${r.region}, ${r.country}, ${r.at})`;
  for (const r of reviews)
    await sql`insert into analytics.reviews values (${r.id}, ${r.pkg}, ${r.reviewer}, ${r.stars}, ${r.body}, ${r.at})`;
  for (const r of snapshots)
    await sql`insert into analytics.version_adoption_snapshots values (${r.day}, ${r.pkg}, ${r.version}, ${r.n})`;
  for (const r of reputation)
    await sql`insert into analytics.reputation_events values (${r.id}, ${`pub-${r.owner}`}, ${r.type}, ${r.points}, ${r.at}, ${r.source})`;
  await sql`insert into analytics.marketplace_daily_summary values ('2026-10-01', 100, 2, 1, 0), ('2026-10-02', 50, 3, 0, 1)`;
  await sql`insert into analytics.publisher_leaderboard_snapshots values ('2026-10-04', 'pub-alpha', 1, 80.5, 'gold'), ('2026-10-04', 'pub-bravo', 2, 40, 'silver')`;
  token.admin = await apiKey(sql, 'admin');
  token.alpha = await apiKey(sql, 'publisher', 'pub-alpha');
  token.bravo = await apiKey(sql, 'publisher', 'pub-bravo');
});
afterAll(() => h.close());

const as = (who: Who) => ({
  get: (path: string) => request(h.app).get(path).set('Authorization', `Bearer ${token[who]}`),
  del: (path: string) => request(h.app).delete(path).set('Authorization', `Bearer ${token[who]}`),
});
const exportCount = async () => (await h.db.sql`select count(*)::int as n from app.exports`)[0]!.n as number;
const others = (who: Who): Who[] => (who === 'admin' ? ['alpha', 'bravo'] : [who === 'alpha' ? 'bravo' : 'alpha']);
/** Every export id each caller created, to check listings at the end. */
const created: Record<Who, string[]> = { alpha: [], bravo: [], admin: [] };

async function create(who: Who, body: Record<string, unknown>): Promise<string> {
  const res = await postExport(h, token[who], body);
  expect(res.status).toBe(202);
  created[who].push(res.body.id);
  return res.body.id;
}

describe('refused requests create nothing', () => {
  it('answers 403 to a publisher asking for an admin-only dataset', async () => {
    const before = await exportCount();
    for (const who of publishers)
      for (const dataset of adminOnly)
        for (const format of ['csv', 'json']) {
          const res = await postExport(h, token[who], { dataset, format, ...range });
          expect(res.status).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
        }
    expect(await exportCount()).toBe(before);
  });

  it("answers 404 to a publisher naming another publisher's (or an unknown) package", async () => {
    const before = await exportCount();
    for (const dataset of packageDatasets) {
      for (const [who, foreign] of [
        ['alpha', 'pkg-bravo-1'],
        ['bravo', 'pkg-alpha-1'],
        ['alpha', 'pkg-nope'],
      ] as const) {
        const res = await postExport(h, token[who], {
          dataset,
          format: 'csv',
          ...range,
          filters: { package_ids: [`pkg-${who}-1`, foreign] },
        });
        expect(res.status).toBe(404);
        expect(JSON.stringify(res.body)).toContain(foreign);
      }
      // An admin naming a package of another publisher than the one filtered by gets the same answer.
      const res = await postExport(h, token.admin, {
        dataset,
        format: 'csv',
        ...range,
        filters: { publisher_id: 'pub-alpha', package_ids: ['pkg-bravo-1'] },
      });
      expect(res.status).toBe(404);
    }
    expect(await exportCount()).toBe(before);
  });

  it('refuses publisher filters from publishers and package filters on account-level datasets with 400', async () => {
    const before = await exportCount();
    for (const dataset of datasetIds.filter((d) => !adminOnly.includes(d))) {
      const res = await postExport(h, token.alpha, {
        dataset,
        format: 'csv',
        ...range,
        filters: { publisher_id: 'pub-alpha' },
      });
      expect(res.status).toBe(400);
    }
    for (const who of ['alpha', 'admin'] as const) {
      const res = await postExport(h, token[who], {
        dataset: 'reputation_events',
        format: 'csv',
        ...range,
        filters: { package_ids: ['pkg-alpha-1'] },
      });
      expect(res.status).toBe(400);
    }
    for (const dataset of adminOnly) {
      const res = await postExport(h, token.admin, {
        dataset,
        format: 'csv',
        ...range,
        filters: { publisher_id: 'pub-alpha' },
      });
      expect(res.status).toBe(400);
    }
    expect(await exportCount()).toBe(before);
  });
});

describe('queued exports: get and cancel', () => {
  it('hides each queued export from the other publisher; only a caller who may see it can cancel it', async () => {
    for (const dataset of datasetIds) {
      for (const who of ['alpha', 'bravo', 'admin'] as const) {
        if (!mayExport(who, dataset)) continue;
        const id = await create(who, { dataset, format: 'csv', ...range });
        for (const other of others(who).filter((o) => o !== 'admin')) {
          expect((await as(other).get(`/v1/exports/${id}`)).status).toBe(404);
          expect((await as(other).get(`/v1/exports/${id}/download`)).status).toBe(404);
          expect((await as(other).del(`/v1/exports/${id}`)).status).toBe(404);
        }
        // Admins oversee every export; the refused cancels above changed nothing.
        const seen = await as('admin').get(`/v1/exports/${id}`);
        expect(seen.status).toBe(200);
        expect(seen.body.status).toBe('queued');
        const cancel = await as(who).del(`/v1/exports/${id}`);
        expect(cancel.status).toBe(200);
        expect(cancel.body.status).toBe('cancelled');
        expect((await as(who).del(`/v1/exports/${id}`)).status).toBe(409);
      }
    }
  });
});

describe('finished exports: the matrix', () => {
  const runs: { who: Who; dataset: DatasetId; format: 'csv' | 'json'; id: string }[] = [];

  beforeAll(async () => {
    for (const dataset of datasetIds)
      for (const who of ['alpha', 'bravo', 'admin'] as const)
        for (const format of ['csv', 'json'] as const)
          if (mayExport(who, dataset))
            runs.push({ who, dataset, format, id: await create(who, { dataset, format, ...range }) });
    await h.startWorker();
    for (const r of runs) expect((await waitForExport(h.app, token[r.who], r.id)).status).toBe('succeeded');
  });

  it.each(datasetIds.map((d) => [d]))("%s: each caller's files hold exactly what it may see", async (dataset) => {
    for (const r of runs.filter((x) => x.dataset === dataset)) {
      const text = (await download(h, token[r.who], r.id)).toString('utf8');
      for (const f of forbidden[r.who])
        expect({ who: r.who, format: r.format, leaked: text.includes(f) ? f : null }).toEqual({
          who: r.who,
          format: r.format,
          leaked: null,
        });
      if (r.format === 'csv') expect(await parseCsv(text)).toEqual(expectedCsv(dataset, r.who));
      else
        expect(JSON.parse(text).periods).toEqual([
          { period_start: '2026-10-01', period_end: '2026-11-01', metrics: expectedMetrics[dataset][r.who] },
        ]);
    }
  });

  it.each(datasetIds.map((d) => [d]))(
    '%s: get, download and cancel by another publisher answer 404',
    async (dataset) => {
      for (const r of runs.filter((x) => x.dataset === dataset)) {
        for (const other of others(r.who)) {
          const get = await as(other).get(`/v1/exports/${r.id}`);
          const dl = await as(other).get(`/v1/exports/${r.id}/download`);
          const del = await as(other).del(`/v1/exports/${r.id}`);
          if (other === 'admin') {
            expect([get.status, dl.status, del.status]).toEqual([200, 302, 409]);
          } else {
            expect([get.status, dl.status, del.status]).toEqual([404, 404, 404]);
            expect(JSON.stringify([get.body, dl.body, del.body])).not.toContain(r.id);
          }
        }
        // The owner sees it finished; a finished export cannot be cancelled.
        expect((await as(r.who).get(`/v1/exports/${r.id}`)).body.status).toBe('succeeded');
        expect((await as(r.who).del(`/v1/exports/${r.id}`)).status).toBe(409);
      }
    },
  );

  it('lists to each publisher only its own exports, and everything to an admin', async () => {
    const ids = async (who: Who, query = '') => {
      const res = await as(who).get(`/v1/exports?limit=100${query}`);
      expect(res.status).toBe(200);
      return (res.body.data as { id: string }[]).map((e) => e.id).sort();
    };
    expect(await ids('alpha')).toEqual([...created.alpha].sort());
    expect(await ids('bravo')).toEqual([...created.bravo].sort());
    expect(await ids('admin')).toEqual([...created.alpha, ...created.bravo, ...created.admin].sort());
    const alphaReviews = runs.filter((r) => r.who === 'alpha' && r.dataset === 'reviews').map((r) => r.id);
    expect(await ids('alpha', '&dataset=reviews&status=succeeded')).toEqual(alphaReviews.sort());
    expect(await ids('bravo', '&dataset=marketplace_summary')).toEqual([]);
  });
});

describe('admin filters', () => {
  it('narrows every per-publisher dataset to one publisher, and package datasets to packages', async () => {
    for (const dataset of datasetIds.filter((d) => !adminOnly.includes(d))) {
      const id = await create('admin', { dataset, format: 'csv', ...range, filters: { publisher_id: 'pub-alpha' } });
      expect((await waitForExport(h.app, token.admin, id)).status).toBe('succeeded');
      expect(await parseCsv((await download(h, token.admin, id)).toString())).toEqual(expectedCsv(dataset, 'alpha'));
    }
    for (const dataset of packageDatasets) {
      const id = await create('admin', {
        dataset,
        format: 'json',
        ...range,
        filters: { package_ids: ['pkg-bravo-1'] },
      });
      expect((await waitForExport(h.app, token.admin, id)).status).toBe('succeeded');
      const doc = JSON.parse((await download(h, token.admin, id)).toString());
      expect(doc.periods[0].metrics).toEqual(expectedMetrics[dataset].bravo);
    }
  });

  it("narrows to a publisher's own package when a publisher asks for it", async () => {
    const id = await create('alpha', {
      dataset: 'install_events',
      format: 'csv',
      ...range,
      filters: { package_ids: ['pkg-alpha-2'] },
    });
    expect((await waitForExport(h.app, token.alpha, id)).status).toBe('succeeded');
    expect(await parseCsv((await download(h, token.alpha, id)).toString())).toEqual([
      ['package_id', 'version', 'tenant_region', 'install_date'],
      ['pkg-alpha-2', 'v-alpha-2', 'region-alpha', '2026-10-06T10:00:00Z'],
    ]);
  });
});
