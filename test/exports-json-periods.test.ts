// JSON documents of every dataset on the real services: hand-computed metrics for a small fixture, periods
// calendar-aligned in the requested time zone (day, ISO week, month), clipped to [from, to), zero-filled,
// and right across the 2026 DST changes (Berlin 29 Mar / 25 Oct, New York 8 Mar / 1 Nov).
import { apiKey, basicMarketplace } from '@ax/testing';
import { createHarness, type Harness } from './support/harness';
import { exportBytes, exportJson } from './support/export-client';

let h: Harness;
let admin: string;
let pubA: string;

const p = (period_start: string, period_end: string, metrics: unknown) => ({ period_start, period_end, metrics });

beforeAll(async () => {
  // Fixed 2026 dates: pin the API's clock and make sure their month partitions exist whenever this runs.
  h = await createHarness('json', { now: () => new Date('2026-11-27T12:00:00Z') });
  const sql = h.db.sql;
  await sql`select analytics.ensure_month_partitions(t, '2026-01-01', '2026-12-01')
            from unnest(array['install_events', 'reviews', 'reputation_events']) t`;
  await basicMarketplace(sql);
  await sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date) values
      -- around Berlin's spring-forward day (29 March has 23 hours)
      ('pkg-a1', '1', 't1', 'eu', 'DE', '2026-03-28T10:00:00Z'),  -- Berlin 28 Mar 11:00
      ('pkg-a1', '1', 't2', 'us', 'US', '2026-03-28T23:30:00Z'),  -- Berlin 29 Mar 00:30 CET (28 Mar in UTC)
      ('pkg-a2', '2', 't1', 'eu', 'DE', '2026-03-29T21:59:00Z'),  -- Berlin 29 Mar 23:59 CEST
      ('pkg-a1', '1', 't3', 'eu', 'FR', '2026-03-29T22:00:00Z'),  -- Berlin 30 Mar 00:00 CEST
      ('pkg-b1', '9', 't9', 'ap', 'IN', '2026-03-29T12:00:00Z'),  -- another publisher's
      -- around Berlin's fall-back (25 Oct) and month ends
      ('pkg-a1', '1', 't2', 'eu', 'DE', '2026-09-30T21:30:00Z'),  -- Berlin 30 Sep 23:30 CEST
      ('pkg-a1', '1', 't1', 'eu', 'DE', '2026-09-30T22:30:00Z'),  -- Berlin 1 Oct 00:30 CEST
      ('pkg-a2', '2', 't2', 'eu', 'GB', '2026-10-31T22:30:00Z'),  -- Berlin 31 Oct 23:30 CET
      ('pkg-a2', '2', 't2', 'eu', 'GB', '2026-10-31T23:30:00Z'),  -- Berlin 1 Nov 00:30 CET
      -- around New York's fall-back (1 Nov, a Sunday)
      ('pkg-a1', '1', 't1', 'us', 'US', '2026-10-28T12:00:00Z'),  -- NY Wed 28 Oct
      ('pkg-a2', '2', 't4', 'us', 'CA', '2026-11-02T04:30:00Z'),  -- NY Sun 1 Nov 23:30 EST
      ('pkg-a1', '1', 't1', 'us', 'US', '2026-11-02T05:00:00Z'),  -- NY Mon 2 Nov 00:00 EST
      ('pkg-a1', '1', 't5', 'us', 'US', '2026-11-11T12:00:00Z'),  -- NY Wed 11 Nov
      ('pkg-a1', '1', 't5', 'us', 'US', '2026-11-12T05:00:00Z')   -- NY Thu 12 Nov 00:00: at "to", excluded`;
  await sql`
    insert into analytics.reviews (review_id, package_id, reviewer_id, star_rating, body, review_date) values
      ('r1', 'pkg-a1', 'u1', 5, 'x', '2026-02-20T12:00:00Z'),
      ('r2', 'pkg-a1', 'u2', 4, 'x', '2026-03-01T04:59:00Z'),  -- NY 28 Feb 23:59 EST
      ('r3', 'pkg-a2', 'u3', 2, 'x', '2026-03-01T05:00:00Z'),  -- NY 1 Mar 00:00
      ('r4', 'pkg-a1', 'u4', 5, 'x', '2026-03-08T07:30:00Z'),  -- NY 8 Mar 03:30 EDT, just after spring-forward
      ('r5', 'pkg-b1', 'u5', 1, 'x', '2026-03-10T12:00:00Z'),  -- another publisher's
      ('r6', 'pkg-a1', 'u6', 3, 'x', '2026-04-01T03:59:00Z'),  -- NY 31 Mar 23:59 EDT
      ('r7', 'pkg-a1', 'u7', 1, 'x', '2026-04-01T04:00:00Z')   -- NY 1 Apr 00:00 EDT`;
  await sql`
    insert into analytics.version_adoption_snapshots (snapshot_date, package_id, version, active_tenant_count) values
      ('2026-03-23', 'pkg-a1', '1.0', 10), ('2026-03-23', 'pkg-a1', '2.0', 30), ('2026-03-23', 'pkg-b1', '9.0', 99),
      ('2026-03-27', 'pkg-a1', '1.0', 8), ('2026-03-27', 'pkg-a1', '2.0', 35), ('2026-03-27', 'pkg-a2', '1.0', 35), ('2026-03-27', 'pkg-b1', '9.0', 100),
      ('2026-03-29', 'pkg-a1', '2.0', 40), ('2026-03-29', 'pkg-a2', '1.0', 5),
      ('2026-03-30', 'pkg-b1', '9.0', 101),
      ('2026-04-06', 'pkg-a1', '2.0', 50)`;
  await sql`
    insert into analytics.reputation_events (event_id, publisher_id, event_type, points, event_date, source_id) values
      ('e1', 'pub-a', 'certification', 50, '2026-09-30T22:30:00Z', 's1'),  -- Berlin 1 Oct 00:30
      ('e2', 'pub-a', 'incident', -20, '2026-10-25T00:30:00Z', 's2'),      -- Berlin 02:30 CEST, before fall-back
      ('e3', 'pub-a', 'incident', -20, '2026-10-25T01:30:00Z', 's3'),      -- Berlin 02:30 CET, after it
      ('e4', 'pub-a', 'review_bonus', 5, '2026-10-31T23:30:00Z', null),    -- Berlin 1 Nov 00:30
      ('e5', 'pub-b', 'featured', 25, '2026-10-10T12:00:00Z', 's5')`;
  await sql`
    insert into analytics.marketplace_daily_summary values
      ('2026-10-29', 10, 5, 1, 0), ('2026-11-01', 20, 7, 0, 1), ('2026-11-02', 30, 6, 2, 0),
      ('2026-11-08', 5, 9, 1, 1), ('2026-11-09', 1, 1, 0, 0)`;
  await sql`
    insert into analytics.publisher_leaderboard_snapshots values
      ('2026-09-01', 'pub-a', 2, 70.5, 'gold'), ('2026-09-01', 'pub-b', 1, 88.25, 'platinum'),
      ('2026-09-28', 'pub-a', 1, 90, 'platinum'), ('2026-09-28', 'pub-b', 2, 61, 'gold'),
      ('2026-10-05', 'pub-b', 1, 95.125, 'platinum'), ('2026-10-05', 'pub-a', 2, 50, 'silver')`;
  admin = await apiKey(sql, 'admin');
  pubA = await apiKey(sql, 'publisher', 'pub-a');
  await h.startWorker();
});
afterAll(() => h.close());

describe('install_events JSON', () => {
  it('cuts days at Berlin midnights across the 23-hour spring-forward day', async () => {
    const doc = await exportJson(h, pubA, {
      dataset: 'install_events',
      from: '2026-03-28',
      to: '2026-03-31',
      timezone: 'Europe/Berlin',
    });
    expect(doc).toEqual({
      dataset: 'install_events',
      granularity: 'day',
      timezone: 'Europe/Berlin',
      from: '2026-03-28',
      to: '2026-03-31',
      periods: [
        p('2026-03-28', '2026-03-29', { install_count: 1, unique_tenants: 1 }),
        p('2026-03-29', '2026-03-30', { install_count: 2, unique_tenants: 2 }),
        p('2026-03-30', '2026-03-31', { install_count: 1, unique_tenants: 1 }),
      ],
    });
  });

  it('starts ISO weeks on Monday in New York across the fall-back, clipping the first and last week', async () => {
    const doc = await exportJson(h, admin, {
      dataset: 'install_events',
      from: '2026-10-28',
      to: '2026-11-12',
      timezone: 'America/New_York',
      granularity: 'week',
    });
    expect(doc.periods).toEqual([
      // 28 Oct (t1), Berlin's two 31 Oct installs (t2), Sunday 1 Nov 23:30 EST (t4)
      p('2026-10-28', '2026-11-02', { install_count: 4, unique_tenants: 3 }),
      p('2026-11-02', '2026-11-09', { install_count: 1, unique_tenants: 1 }),
      p('2026-11-09', '2026-11-12', { install_count: 1, unique_tenants: 1 }),
    ]);
  });

  it('cuts months at Berlin midnights, whatever the UTC offset, and zero-fills the month with no data', async () => {
    const doc = await exportJson(h, pubA, {
      dataset: 'install_events',
      from: '2026-08-20',
      to: '2026-11-10',
      timezone: 'Europe/Berlin',
      granularity: 'month',
    });
    expect(doc.periods).toEqual([
      p('2026-08-20', '2026-09-01', { install_count: 0, unique_tenants: 0 }),
      p('2026-09-01', '2026-10-01', { install_count: 1, unique_tenants: 1 }),
      // 1 Oct 00:30, 28 Oct, 31 Oct 23:30 (t1, t1, t2)
      p('2026-10-01', '2026-11-01', { install_count: 3, unique_tenants: 2 }),
      // 1 Nov 00:30 (t2), NY's 1 Nov 23:30 = Berlin 2 Nov 05:30 (t4), 2 Nov 06:00 (t1)
      p('2026-11-01', '2026-11-10', { install_count: 3, unique_tenants: 3 }),
    ]);
  });

  it('clips to RFC 3339 bounds inside a day and renders them as UTC timestamps', async () => {
    const doc = await exportJson(h, pubA, {
      dataset: 'install_events',
      from: '2026-03-28T10:00:00Z',
      to: '2026-03-29T22:00:00Z',
    });
    expect(doc).toMatchObject({ from: '2026-03-28T10:00:00Z', to: '2026-03-29T22:00:00Z' });
    expect(doc.periods).toEqual([
      p('2026-03-28T10:00:00Z', '2026-03-29', { install_count: 2, unique_tenants: 2 }), // from is inclusive
      p('2026-03-29', '2026-03-29T22:00:00Z', { install_count: 1, unique_tenants: 1 }), // to is exclusive
    ]);
  });
});

describe('reviews JSON', () => {
  const counts = (c: number[]) => Object.fromEntries(c.map((n, i) => [String(i + 1), n]));

  it('counts ratings per New York month across the spring-forward, with null averages for empty periods', async () => {
    const doc = await exportJson(h, pubA, {
      dataset: 'reviews',
      from: '2026-02-15',
      to: '2026-05-10',
      timezone: 'America/New_York',
      granularity: 'month',
    });
    expect(doc.periods).toEqual([
      p('2026-02-15', '2026-03-01', { review_count: 2, average_rating: 4.5, rating_counts: counts([0, 0, 0, 1, 1]) }),
      p('2026-03-01', '2026-04-01', { review_count: 3, average_rating: 3.33, rating_counts: counts([0, 1, 1, 0, 1]) }),
      p('2026-04-01', '2026-05-01', { review_count: 1, average_rating: 1, rating_counts: counts([1, 0, 0, 0, 0]) }),
      p('2026-05-01', '2026-05-10', { review_count: 0, average_rating: null, rating_counts: counts([0, 0, 0, 0, 0]) }),
    ]);
  });

  it("writes the average with two decimals and gives an admin every publisher's reviews", async () => {
    const { bytes } = await exportBytes(h, admin, {
      dataset: 'reviews',
      format: 'json',
      from: '2026-03-01',
      to: '2026-04-01',
      timezone: 'America/New_York',
      granularity: 'month',
    });
    const text = bytes.toString('utf8');
    expect(text).toMatch(/"average_rating" ?: ?2\.75\b/);
    expect(JSON.parse(text).periods).toEqual([
      p('2026-03-01', '2026-04-01', { review_count: 4, average_rating: 2.75, rating_counts: counts([1, 1, 1, 0, 1]) }),
    ]);
    const four = await exportBytes(h, pubA, {
      dataset: 'reviews',
      format: 'json',
      from: '2026-02-01',
      to: '2026-03-01',
      granularity: 'month',
    });
    expect(four.bytes.toString()).toMatch(/"average_rating" ?: ?5\.00\b/); // r1 only (r2 is 1 Mar in UTC)
  });
});

describe('version_adoption JSON', () => {
  it("shows the latest snapshot of the publisher's packages per Berlin week, null and empty where there is none", async () => {
    const doc = await exportJson(h, pubA, {
      dataset: 'version_adoption',
      from: '2026-03-25',
      to: '2026-04-13',
      timezone: 'Europe/Berlin',
      granularity: 'week',
    });
    expect(doc.periods).toEqual([
      p('2026-03-25', '2026-03-30', {
        snapshot_date: '2026-03-29',
        versions: [
          { package_id: 'pkg-a1', version: '2.0', active_tenant_count: 40 },
          { package_id: 'pkg-a2', version: '1.0', active_tenant_count: 5 },
        ],
      }),
      // only pkg-b1 has a snapshot that week: none of pub-a's
      p('2026-03-30', '2026-04-06', { snapshot_date: null, versions: [] }),
      p('2026-04-06', '2026-04-13', {
        snapshot_date: '2026-04-06',
        versions: [{ package_id: 'pkg-a1', version: '2.0', active_tenant_count: 50 }],
      }),
    ]);
  });

  it('orders versions largest first (ties by package and version) and gives an admin every package', async () => {
    const doc = await exportJson(h, admin, {
      dataset: 'version_adoption',
      from: '2026-03-27',
      to: '2026-04-01',
      timezone: 'Europe/Berlin',
      granularity: 'day',
    });
    expect(doc.periods.map((x: { period_start: string }) => x.period_start)).toEqual([
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
    ]);
    expect(doc.periods[0].metrics).toEqual({
      snapshot_date: '2026-03-27',
      versions: [
        { package_id: 'pkg-b1', version: '9.0', active_tenant_count: 100 },
        { package_id: 'pkg-a1', version: '2.0', active_tenant_count: 35 },
        { package_id: 'pkg-a2', version: '1.0', active_tenant_count: 35 },
        { package_id: 'pkg-a1', version: '1.0', active_tenant_count: 8 },
      ],
    });
    expect(doc.periods[1].metrics).toEqual({ snapshot_date: null, versions: [] });
    expect(doc.periods[3].metrics).toEqual({
      snapshot_date: '2026-03-30',
      versions: [{ package_id: 'pkg-b1', version: '9.0', active_tenant_count: 101 }],
    });
  });

  it('takes a snapshot day only when its local midnight is inside [from, to)', async () => {
    // 26 Mar 23:00 UTC is 27 Mar 00:00 in Berlin: the 27th is in; one second later it is not.
    const exact = await exportJson(h, admin, {
      dataset: 'version_adoption',
      from: '2026-03-26T23:00:00Z',
      to: '2026-03-28',
      timezone: 'Europe/Berlin',
    });
    expect(exact.periods).toEqual([
      p('2026-03-27', '2026-03-28', expect.objectContaining({ snapshot_date: '2026-03-27' })),
    ]);
    const late = await exportJson(h, admin, {
      dataset: 'version_adoption',
      from: '2026-03-26T23:00:01Z',
      to: '2026-03-28',
      timezone: 'Europe/Berlin',
    });
    expect(late.periods).toEqual([p('2026-03-26T23:00:01Z', '2026-03-28', { snapshot_date: null, versions: [] })]);
  });
});

describe('geographic_summary JSON', () => {
  it("counts installs per country per Berlin day; an admin also sees other publishers' countries", async () => {
    const body = { dataset: 'geographic_summary', from: '2026-03-28', to: '2026-03-31', timezone: 'Europe/Berlin' };
    expect((await exportJson(h, pubA, body)).periods).toEqual([
      p('2026-03-28', '2026-03-29', { install_count: 1, countries: { DE: 1 } }),
      p('2026-03-29', '2026-03-30', { install_count: 2, countries: { DE: 1, US: 1 } }),
      p('2026-03-30', '2026-03-31', { install_count: 1, countries: { FR: 1 } }),
    ]);
    expect((await exportJson(h, admin, body)).periods[1]).toEqual(
      p('2026-03-29', '2026-03-30', { install_count: 3, countries: { DE: 1, IN: 1, US: 1 } }),
    );
  });

  it('zero-fills with an empty country map', async () => {
    const doc = await exportJson(h, pubA, { dataset: 'geographic_summary', from: '2026-05-01', to: '2026-05-02' });
    expect(doc.periods).toEqual([p('2026-05-01', '2026-05-02', { install_count: 0, countries: {} })]);
  });
});

describe('geographic_summary CSV periods', () => {
  it("groups by country and local period; period_date is the period's first day in the time zone", async () => {
    const day = await exportBytes(h, pubA, {
      dataset: 'geographic_summary',
      format: 'csv',
      from: '2026-03-28',
      to: '2026-03-31',
      timezone: 'Europe/Berlin',
    });
    expect(day.bytes.toString()).toBe(
      'country_code,period_date,install_count\r\n' +
        'DE,2026-03-28,1\r\nDE,2026-03-29,1\r\nUS,2026-03-29,1\r\nFR,2026-03-30,1\r\n',
    );
    // In UTC the 23:30 install of 28 March stays on the 28th.
    const utc = await exportBytes(h, pubA, {
      dataset: 'geographic_summary',
      format: 'csv',
      from: '2026-03-28',
      to: '2026-03-31',
    });
    expect(utc.bytes.toString()).toBe(
      'country_code,period_date,install_count\r\n' +
        'DE,2026-03-28,1\r\nUS,2026-03-28,1\r\nDE,2026-03-29,1\r\nFR,2026-03-29,1\r\n',
    );
    // Weeks start on Monday (23 March), also for the week the range starts inside of; Berlin's 30 Mar 00:00
    // (29 Mar 22:00 UTC) opens the next week.
    const week = await exportBytes(h, admin, {
      dataset: 'geographic_summary',
      format: 'csv',
      from: '2026-03-25',
      to: '2026-04-01',
      timezone: 'Europe/Berlin',
      granularity: 'week',
    });
    expect(week.bytes.toString()).toBe(
      'country_code,period_date,install_count\r\n' +
        'DE,2026-03-23,2\r\nIN,2026-03-23,1\r\nUS,2026-03-23,1\r\nFR,2026-03-30,1\r\n',
    );
    const month = await exportBytes(h, pubA, {
      dataset: 'geographic_summary',
      format: 'csv',
      from: '2026-09-15',
      to: '2026-11-10',
      timezone: 'America/New_York',
      granularity: 'month',
    });
    // NY: 30 Sep 21:30Z and 22:30Z are still 30 Sep; 31 Oct 22:30Z/23:30Z are 31 Oct; 2 Nov 04:30Z is 1 Nov.
    expect(month.bytes.toString()).toBe(
      'country_code,period_date,install_count\r\n' +
        'DE,2026-09-01,2\r\nGB,2026-10-01,2\r\nUS,2026-10-01,1\r\nCA,2026-11-01,1\r\nUS,2026-11-01,1\r\n',
    );
  });
});

describe('reputation_events JSON', () => {
  it("sums a publisher's own points per Berlin month across the fall-back", async () => {
    const body = {
      dataset: 'reputation_events',
      from: '2026-10-01',
      to: '2026-12-01',
      timezone: 'Europe/Berlin',
      granularity: 'month',
    };
    expect((await exportJson(h, pubA, body)).periods).toEqual([
      p('2026-10-01', '2026-11-01', {
        event_count: 3,
        points: 10,
        points_by_event_type: { certification: 50, incident: -40 },
      }),
      p('2026-11-01', '2026-12-01', { event_count: 1, points: 5, points_by_event_type: { review_bonus: 5 } }),
    ]);
    expect((await exportJson(h, admin, { ...body, filters: { publisher_id: 'pub-b' } })).periods).toEqual([
      p('2026-10-01', '2026-11-01', { event_count: 1, points: 25, points_by_event_type: { featured: 25 } }),
      p('2026-11-01', '2026-12-01', { event_count: 0, points: 0, points_by_event_type: {} }),
    ]);
    expect((await exportJson(h, admin, body)).periods[0].metrics).toEqual({
      event_count: 4,
      points: 35,
      points_by_event_type: { certification: 50, featured: 25, incident: -40 },
    });
  });
});

describe('marketplace_summary JSON', () => {
  it('sums daily values per New York week, taking the largest active_publishers', async () => {
    const doc = await exportJson(h, admin, {
      dataset: 'marketplace_summary',
      from: '2026-10-19',
      to: '2026-11-09',
      timezone: 'America/New_York',
      granularity: 'week',
    });
    expect(doc.periods).toEqual([
      p('2026-10-19', '2026-10-26', {
        total_installs: 0,
        new_packages: 0,
        certifications_granted: 0,
        active_publishers: 0,
      }),
      p('2026-10-26', '2026-11-02', {
        total_installs: 30,
        new_packages: 1,
        certifications_granted: 1,
        active_publishers: 7,
      }),
      // 9 Nov is the exclusive end
      p('2026-11-02', '2026-11-09', {
        total_installs: 35,
        new_packages: 3,
        certifications_granted: 1,
        active_publishers: 9,
      }),
    ]);
  });

  it('takes the days whose New York midnight is in range, not the UTC ones', async () => {
    const doc = await exportJson(h, admin, {
      dataset: 'marketplace_summary',
      from: '2026-11-01',
      to: '2026-11-09',
      timezone: 'America/New_York',
      granularity: 'month',
    });
    expect(doc.periods).toEqual([
      p('2026-11-01', '2026-11-09', {
        total_installs: 55,
        new_packages: 3,
        certifications_granted: 2,
        active_publishers: 9,
      }),
    ]);
  });

  it('leaves out a day whose midnight is before a mid-day from', async () => {
    const doc = await exportJson(h, admin, {
      dataset: 'marketplace_summary',
      from: '2026-10-29T12:00:00Z',
      to: '2026-11-03',
      granularity: 'month',
    });
    expect(doc.periods).toEqual([
      p('2026-10-29T12:00:00Z', '2026-11-01', {
        total_installs: 0,
        new_packages: 0,
        certifications_granted: 0,
        active_publishers: 0,
      }),
      p('2026-11-01', '2026-11-03', {
        total_installs: 50,
        new_packages: 2,
        certifications_granted: 1,
        active_publishers: 7,
      }),
    ]);
  });
});

describe('leaderboard_history JSON', () => {
  it('shows the latest snapshot per month by rank, and null with no snapshot', async () => {
    const doc = await exportJson(h, admin, {
      dataset: 'leaderboard_history',
      from: '2026-09-01',
      to: '2026-11-15',
      granularity: 'month',
    });
    expect(doc.periods).toEqual([
      p('2026-09-01', '2026-10-01', {
        snapshot_date: '2026-09-28',
        entries: [
          { publisher_id: 'pub-a', rank: 1, weighted_score: 90, tier: 'platinum' },
          { publisher_id: 'pub-b', rank: 2, weighted_score: 61, tier: 'gold' },
        ],
      }),
      p('2026-10-01', '2026-11-01', {
        snapshot_date: '2026-10-05',
        entries: [
          { publisher_id: 'pub-b', rank: 1, weighted_score: 95.125, tier: 'platinum' },
          { publisher_id: 'pub-a', rank: 2, weighted_score: 50, tier: 'silver' },
        ],
      }),
      p('2026-11-01', '2026-11-15', { snapshot_date: null, entries: [] }),
    ]);
  });
});
