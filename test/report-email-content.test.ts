// The report e-mail's figures on the real services: totals, change, per-day chart and top packages read from the
// SES emulator and checked against psql's own counts for the same local period; screenshots of the HTML at
// 375 px and desktop widths rendered by headless Chromium (kept under test-artifacts/).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { duePeriods, previousPeriod } from '@ax/datasets';
import { dayLabel, formatCount } from '@ax/mailer';
import { apiKey, basicMarketplace } from '@ax/testing';
import { pngSize, screenshotHtml } from './support/chromium';
import { createHarness, type Harness } from './support/harness';
import { mailTo, uniqueRecipient, waitFor, type StoredMail } from './support/ses';

const TZ = 'Europe/Berlin';
let h: Harness;
let pubA: string;
const week = duePeriods('weekly', TZ, new Date(), 2)[0]!;
const prev = previousPeriod(week);
const month = duePeriods('monthly', TZ, new Date(), 1)[0]!;

beforeAll(async () => {
  h = await createHarness('mail-content');
  await basicMarketplace(h.db.sql);
  await h.db.sql`update analytics.packages set name = 'A <one> & "co"' where package_id = 'pkg-a1'`;
  // 14 days of installs around both weeks, at hours that cross local midnight; pub-b's must never count.
  await h.db.sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
    select pkg, '1.0', 't' || (n % 7), 'eu', 'DE', ${prev.start}::timestamptz + (d * 24 + ((n * 5) % 24)) * interval '1 hour'
    from generate_series(0, 13) d,
         lateral (values ('pkg-a1', (d * 7) % 11 + 1), ('pkg-a2', (d * 3) % 5), ('pkg-b1', 20)) p(pkg, k),
         lateral generate_series(1, p.k) n`;
  // A month of installs from six countries (pub-a's packages), for the monthly country report.
  await h.db.sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
    select 'pkg-a2', '2.0', 'm' || n, 'eu', (array['US','DE','FR','IN','BR','JP'])[1 + floor(sqrt(n % 36))::int], ${month.start}::timestamptz + n * interval '97 minutes'
    from generate_series(0, 400) n
    where ${month.start}::timestamptz + n * interval '97 minutes' < ${month.end}::timestamptz`;
  await h.db.sql`
    insert into analytics.reviews (review_id, package_id, reviewer_id, star_rating, body, review_date)
    select 'r' || d || '-' || n, case when n % 3 = 0 then 'pkg-a2' else 'pkg-a1' end, 'u' || n, 1 + (d + n) % 5, 'x',
           ${week.start}::timestamptz + (d * 24 + n) * interval '1 hour'
    from generate_series(0, 6) d, generate_series(1, d + 1) n`;
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  await h.startWorker();
  await h.startReportsWorker();
});
afterAll(() => h.close());

const auth = (r: request.Test) => r.set('Authorization', `Bearer ${pubA}`);
const psql = (query: string): string[][] =>
  execFileSync('psql', [h.db.url, '-AtF', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
const lit = (d: Date) => `'${d.toISOString()}'`;
const ownInstalls = `analytics.install_events e join analytics.packages p using (package_id) where p.publisher_id = 'pub-a'`;

async function reportTo(
  dataset: string,
  name: string,
  frequency: 'weekly' | 'monthly' = 'weekly',
): Promise<StoredMail> {
  const r = uniqueRecipient(dataset);
  const created = await auth(request(h.app).post('/v1/schedules')).send({
    dataset,
    format: 'csv',
    frequency,
    timezone: TZ,
    name,
    recipients: [r],
  });
  expect(created.status).toBe(201);
  const start = frequency === 'weekly' ? week.startDate : month.startDate;
  expect(
    (await auth(request(h.app).post(`/v1/schedules/${created.body.id}/runs`)).send({ period_start: start })).status,
  ).toBe(202);
  const [mail] = await waitFor(`the ${dataset} e-mail`, async () => ((await mailTo([r])).length ? mailTo([r]) : null));
  return mail!;
}

describe('the report e-mail', () => {
  it("carries the period's installs, the change, each local day and the top packages as psql counts them", async () => {
    const mail = await reportTo('install_events', 'Weekly <img src=x onerror=alert(1)> installs');
    const text = mail.body.text!;
    const html = mail.body.html!;
    const [[total]] = psql(
      `select count(*) from ${ownInstalls} and install_date >= ${lit(week.start)} and install_date < ${lit(week.end)}`,
    ) as [[string]];
    const [[before]] = psql(
      `select count(*) from ${ownInstalls} and install_date >= ${lit(prev.start)} and install_date < ${lit(prev.end)}`,
    ) as [[string]];
    const days =
      psql(`select to_char((install_date at time zone '${TZ}')::date, 'YYYY-MM-DD'), count(*) from ${ownInstalls}
                       and install_date >= ${lit(week.start)} and install_date < ${lit(week.end)} group by 1 order by 1`);
    const top =
      psql(`select package_id, count(*) from ${ownInstalls} and install_date >= ${lit(week.start)} and install_date < ${lit(week.end)}
                      group by 1 order by 2 desc, 1`);
    expect(Number(total)).toBeGreaterThan(0);
    expect(days).toHaveLength(7);

    const pct = ((Number(total) - Number(before)) / Number(before)) * 100;
    const shown = Math.abs(pct) < 10 ? Math.abs(pct).toFixed(1) : String(Math.round(Math.abs(pct)));
    const change = `${pct > 0 ? '▲' : '▼'} ${shown}% (previous week: ${formatCount(Number(before))})`;
    expect(mail.subject.startsWith('Installs, ')).toBe(true);
    expect(mail.subject).toContain(`${formatCount(Number(total))} installs`);
    for (const body of [text, html]) {
      expect(body).toContain(formatCount(Number(total)));
      expect(body).toContain(change);
      expect(body).toContain(`${week.startDate} 00:00 to ${week.endDate} 00:00, ${TZ}`);
    }
    expect(text).toContain(`Installs: ${formatCount(Number(total))}`);
    for (const [day, n] of days as [string, string][]) {
      expect(text).toMatch(new RegExp(`^${dayLabel(day)} +#* +${formatCount(Number(n))}$`, 'm'));
      expect(html).toContain(`${dayLabel(day)}</td>`);
    }
    // Which package leads depends on the date: early in a month the monthly report's installs (pkg-a2) fall in this
    // week too.
    const names: Record<string, string> = { 'pkg-a1': 'A <one> & "co"', 'pkg-a2': 'A two' };
    expect(top.map(([id]) => id).sort()).toEqual(['pkg-a1', 'pkg-a2']);
    top.forEach(([id, n], i) => expect(text).toContain(`${i + 1}. ${names[id!]} (${id}): ${formatCount(Number(n))}`));
    expect(text).not.toContain('pkg-b1');
    expect(html).toContain('A &lt;one&gt; &amp; &quot;co&quot; (pkg-a1)');
    // The free-text name is escaped and never the headline.
    expect(html).not.toContain('<img');
    expect(html).toContain('Weekly &lt;img src=x onerror=alert(1)&gt; installs');
    expect(html.indexOf('<h1')).toBeLessThan(html.indexOf('Weekly &lt;img'));
    expect(html).not.toMatch(/<script|<svg|<img|src=["']?http/i);

    for (const [label, viewport] of [
      ['375', { width: 375, height: 1500 }],
      ['desktop', { width: 1280, height: 1300 }],
    ] as const) {
      const png = readFileSync(await screenshotHtml(html, `report-email-install-events-${label}`, viewport));
      expect(pngSize(png)).toEqual(viewport);
      expect(png.length).toBeGreaterThan(20_000);
    }
  }, 120_000);

  it('carries the review count, the average rating and the top packages by reviews', async () => {
    const mail = await reportTo('reviews', '');
    const [[count, avg]] =
      psql(`select count(*), round(avg(star_rating), 2) from analytics.reviews r join analytics.packages p using (package_id)
                                 where p.publisher_id = 'pub-a' and review_date >= ${lit(week.start)} and review_date < ${lit(week.end)}`) as [
        [string, string],
      ];
    expect(mail.subject.startsWith(`Reviews, `)).toBe(true);
    for (const body of [mail.body.text!, mail.body.html!]) {
      expect(body).toContain(`${Number(avg).toFixed(2)} of 5`);
      expect(body).toContain('Top packages by reviews');
    }
    expect(mail.body.text).toContain(`Reviews: ${formatCount(Number(count))}`);
    const png = readFileSync(
      await screenshotHtml(mail.body.html!, 'report-email-reviews-375', { width: 375, height: 1400 }),
    );
    expect(pngSize(png).width).toBe(375);
  }, 120_000);

  it('a monthly country report: the top 5 countries and one bar per week, as psql counts them', async () => {
    const mail = await reportTo('geographic_summary', 'Countries', 'monthly');
    const countries =
      psql(`select country_code, count(*) from ${ownInstalls} and install_date >= ${lit(month.start)} and install_date < ${lit(month.end)}
                            group by 1 order by 2 desc, 1`);
    expect(countries.length).toBeGreaterThan(5);
    const text = mail.body.text!;
    expect(text).toContain('Top countries by installs');
    countries
      .slice(0, 5)
      .forEach(([code, n], i) => expect(text).toContain(`${i + 1}. ${code}: ${formatCount(Number(n))}`));
    expect(text).not.toContain(`6. ${countries[5]![0]}`);
    expect(text).toContain('Installs per week');
    // Every local week the month touches, those without installs too (the e-mail draws them at 0).
    const weeks = psql(`
      select (select count(*) from ${ownInstalls}
                and install_date >= greatest(w at time zone '${TZ}', ${lit(month.start)}::timestamptz)
                and install_date < least((w + interval '1 week') at time zone '${TZ}', ${lit(month.end)}::timestamptz))
      from generate_series(date_trunc('week', ${lit(month.start)}::timestamptz at time zone '${TZ}'),
                           ${lit(month.end)}::timestamptz at time zone '${TZ}' - interval '1 microsecond', interval '1 week') w
      order by w`);
    const bars = text.split('Installs per week\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(bars.map((l) => l.trim().split(/\s+/).pop())).toEqual(weeks.map(([n]) => formatCount(Number(n))));
    const png = readFileSync(
      await screenshotHtml(mail.body.html!, 'report-email-geographic-monthly-375', { width: 375, height: 1400 }),
    );
    expect(pngSize(png).width).toBe(375);
  }, 120_000);
});
