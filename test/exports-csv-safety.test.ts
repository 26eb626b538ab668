// CSV of every dataset through the whole pipeline (API → worker → COPY → S3 → download) with hostile text:
// formula triggers neutralised, numbers untouched, RFC 4180 quoting, CRLF, UTC timestamps, one optional BOM.
// The downloads are read back with a real RFC 4180 parser and compared cell by cell.
import { gunzipSync } from 'node:zlib';
import { apiKey } from '@ax/testing';
import { createHarness, type Harness } from './support/harness';
import { exportBytes } from './support/export-client';
import { parseCsv, recordEndsAreCrlf, stripBom } from './support/csv';

let h: Harness;
let admin: string;
let pubH: string;

/** Stored text → what the CSV cell must read (CONTRACT §3: a leading ' unless the cell is a number). */
const hostile: [string, string][] = [
  ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
  ['@SUM(1)', `'@SUM(1)`],
  ['\t=1', `'\t=1`],
  ['\r=1', `'\r=1`],
  ['-5', '-5'],
  ['+1e3', '+1e3'],
  ['+3.5', '+3.5'],
  ['-1.5e-3', '-1.5e-3'],
  ['-abc', `'-abc`],
  ['+-5', `'+-5`],
  ['-', `'-`],
  ['-5\n=cmd', `'-5\n=cmd`],
  ['=1+2', `'=1+2`],
  [' =1', ' =1'],
  ['say "hi", ok', 'say "hi", ok'],
  ['line1\nline2', 'line1\nline2'],
  ['cr\rinside', 'cr\rinside'],
  ['crlf\r\ninside', 'crlf\r\ninside'],
  ['emoji 😀 ü 中文', 'emoji 😀 ü 中文'],
  ['""', '""'],
  ['', ''],
];
/** Hostile package ids (owned by pub-h) and two-character country codes. */
const packages: [string, string][] = [
  ['=pkg()', `'=pkg()`],
  ['-pkg', `'-pkg`],
  ['@pkg', `'@pkg`],
  ['pkg,"q"', 'pkg,"q"'],
  ['pkg-ü中😀', 'pkg-ü中😀'],
];
const countries: [string, string][] = [
  ['=1', `'=1`],
  ['-1', '-1'],
  ['@x', `'@x`],
  ['+A', `'+A`],
  ['"q', '"q'],
  [',x', ',x'],
  ['中文', '中文'],
  ['\t1', `'\t1`],
];

/** Rows as objects, for postgres.js's multi-row insert helper. */
const objects = (cols: string[], rows: unknown[][]) =>
  rows.map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]])));
const minute = (base: string, i: number) => new Date(new Date(base).getTime() + i * 60_000);
const utc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const day = (base: string, i: number) =>
  new Date(new Date(`${base}T00:00:00Z`).getTime() + i * 86400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  h = await createHarness('csv');
  const sql = h.db.sql;
  // Sessions of this database default to a far-off zone: UTC rendering must not depend on it.
  await sql.unsafe(`alter database "${h.db.name}" set timezone to 'Asia/Kolkata'`);
  await sql`insert into analytics.publishers values ('pub-h', 'Hostile Ltd, "quoted"')`;
  await sql`insert into analytics.packages ${sql(objects(['package_id', 'publisher_id', 'name'], [['pkg-plain', 'pub-h', 'plain'], ...packages.map(([id]) => [id, 'pub-h', id])]))}`;
  // Installs every minute from 2026-10-05 10:00 +05:30 (04:30 UTC), one hostile version/region each.
  const installCols = ['package_id', 'version', 'tenant_id', 'tenant_region', 'country_code', 'install_date'];
  await sql`insert into analytics.install_events ${sql(
    objects(
      installCols,
      hostile.map(([v], i) => ['pkg-plain', v, `t${i}`, v, 'XX', minute('2026-10-05T10:00:00+05:30', i)]),
    ),
  )}`;
  // One install per hostile country, each on its own day so the CSV order does not depend on collation.
  await sql`insert into analytics.install_events ${sql(
    objects(
      installCols,
      countries.map(([c], i) => ['pkg-plain', '1', 't', 'r', c, new Date(`${day('2026-10-12', i)}T12:00:00Z`)]),
    ),
  )}`;
  await sql`insert into analytics.reviews ${sql(
    objects(
      ['review_id', 'package_id', 'reviewer_id', 'star_rating', 'body', 'review_date'],
      packages.map(([id], i) => [
        `r${i}`,
        id,
        `reviewer-${i}`,
        1 + (i % 5),
        '=evil()',
        minute('2026-10-05T00:00:00-07:00', i),
      ]),
    ),
  )}`;
  await sql`insert into analytics.version_adoption_snapshots ${sql(
    objects(
      ['snapshot_date', 'package_id', 'version', 'active_tenant_count'],
      hostile.map(([v], i) => [day('2026-10-01', i), packages[i % packages.length]![0], v, i]),
    ),
  )}`;
  await sql`insert into analytics.reputation_events ${sql(
    objects(
      ['event_id', 'publisher_id', 'event_type', 'points', 'event_date', 'source_id'],
      hostile.map(([v], i) => [
        `e${i}`,
        'pub-h',
        v,
        i % 2 ? -i : i,
        minute('2026-10-05T23:59:00-04:00', i),
        i === 0 ? null : v,
      ]),
    ),
  )}`;
  await sql`insert into analytics.marketplace_daily_summary values ('2026-10-05', -5, 0, 3, -1), ('2026-10-06', 7, 2, 0, 0)`;
  await sql`insert into analytics.publisher_leaderboard_snapshots ${sql(
    objects(
      ['snapshot_date', 'publisher_id', 'rank', 'weighted_score', 'tier'],
      hostile.map(([v], i) => ['2026-10-04', v, i + 1, ((i % 2 ? -1 : 1) * (i * 10.125)).toFixed(3), v]),
    ),
  )}`;
  expect((await h.copyPool.query('show timezone')).rows[0].TimeZone).toBe('Asia/Kolkata');
  admin = await apiKey(sql, 'admin');
  pubH = await apiKey(sql, 'publisher', 'pub-h');
  await h.startWorker();
});
afterAll(() => h.close());

async function csvOf(token: string, body: Record<string, unknown>, bom = false) {
  const { bytes, result } = await exportBytes(h, token, { format: 'csv', csv_bom: bom, ...body });
  const text = stripBom(body.compression === 'gzip' ? gunzipSync(bytes) : bytes, bom);
  expect(recordEndsAreCrlf(text)).toBe(true);
  const rows = await parseCsv(text);
  expect(result.row_count).toBe(rows.length - 1);
  return { text, rows };
}

describe('CSV safety on every dataset', () => {
  it('install_events: neutralises formula cells, quotes per RFC 4180 and writes UTC timestamps', async () => {
    const { text, rows } = await csvOf(pubH, { dataset: 'install_events', from: '2026-10-05', to: '2026-10-06' });
    expect(rows).toEqual([
      ['package_id', 'version', 'tenant_region', 'install_date'],
      ...hostile.map(([, out], i) => ['pkg-plain', out, out, utc(minute('2026-10-05T04:30:00Z', i))]),
    ]);
    expect(rows[1]![3]).toBe('2026-10-05T04:30:00Z');
    // Quotes doubled inside a quoted field; the neutralising quote goes inside it.
    expect(text).toContain(
      `pkg-plain,"'=HYPERLINK(""http://x"",""y"")","'=HYPERLINK(""http://x"",""y"")",2026-10-05T04:30:00Z\r\n`,
    );
    expect(text).toContain('pkg-plain,-5,-5,');
    expect(text).toContain('pkg-plain,"line1\nline2","line1\nline2",');
  });

  it('install_events: one BOM and the same cells when gzip-compressed', async () => {
    const { rows } = await csvOf(
      pubH,
      { dataset: 'install_events', from: '2026-10-05', to: '2026-10-06', compression: 'gzip' },
      true,
    );
    expect(rows.slice(1).map((r) => r[1])).toEqual(hostile.map(([, out]) => out));
  });

  it('reviews: hostile package ids neutralised, and no reviewer identity', async () => {
    const { text, rows } = await csvOf(pubH, { dataset: 'reviews', from: '2026-10-05', to: '2026-10-06' }, true);
    expect(rows).toEqual([
      ['package_id', 'star_rating', 'review_date'],
      ...packages.map(([, out], i) => [out, String(1 + (i % 5)), utc(minute('2026-10-05T07:00:00Z', i))]),
    ]);
    expect(text).not.toMatch(/reviewer-|evil/);
  });

  it('version_adoption: package and version cells, dates as YYYY-MM-DD', async () => {
    const { rows } = await csvOf(pubH, { dataset: 'version_adoption', from: '2026-10-01', to: '2026-11-01' });
    expect(rows).toEqual([
      ['package_id', 'version', 'active_tenant_count', 'snapshot_date'],
      ...hostile.map(([, out], i) => [packages[i % packages.length]![1], out, String(i), day('2026-10-01', i)]),
    ]);
  });

  it('geographic_summary: hostile country codes', async () => {
    const { rows } = await csvOf(admin, { dataset: 'geographic_summary', from: '2026-10-12', to: '2026-10-31' });
    expect(rows).toEqual([
      ['country_code', 'period_date', 'install_count'],
      ...countries.map(([, out], i) => [out, day('2026-10-12', i), '1']),
    ]);
  });

  it('reputation_events: event types and sources neutralised, negative points untouched, null source empty', async () => {
    const { text, rows } = await csvOf(pubH, { dataset: 'reputation_events', from: '2026-10-06', to: '2026-10-07' });
    expect(rows).toEqual([
      ['event_type', 'points', 'event_date', 'source_id'],
      ...hostile.map(([, out], i) => [
        out,
        String(i % 2 ? -i : i),
        utc(minute('2026-10-06T03:59:00Z', i)),
        i === 0 ? '' : out,
      ]),
    ]);
    expect(text.split('\r\n')[1]).toBe(`"'=HYPERLINK(""http://x"",""y"")",0,2026-10-06T03:59:00Z,`);
  });

  it('marketplace_summary: negative numbers stay numbers', async () => {
    const { text } = await csvOf(admin, { dataset: 'marketplace_summary', from: '2026-10-05', to: '2026-10-07' });
    expect(text).toBe(
      'summary_date,total_installs,active_publishers,new_packages,certifications_granted\r\n' +
        '2026-10-05,-5,0,3,-1\r\n2026-10-06,7,2,0,0\r\n',
    );
  });

  it('leaderboard_history: publisher ids and tiers neutralised, scores as numbers', async () => {
    const { rows } = await csvOf(admin, { dataset: 'leaderboard_history', from: '2026-10-01', to: '2026-10-08' }, true);
    expect(rows).toEqual([
      ['snapshot_date', 'publisher_id', 'rank', 'weighted_score', 'tier'],
      ...hostile.map(([, out], i) => [
        '2026-10-04',
        out,
        String(i + 1),
        ((i % 2 ? -1 : 1) * (i * 10.125)).toFixed(3),
        out,
      ]),
    ]);
  });
});
