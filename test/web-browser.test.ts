// The web page in a real browser (Debian's Chromium via playwright-core) against the real API, export worker,
// reports worker, PostgreSQL, Redis and the S3 and SES emulators (issue 12 §4). Screenshots of every page go to
// .tmp/screenshots; axe-core checks every page for serious or critical violations.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DEFAULT_WEB_DIST } from '../services/api/src/web-app';
import { sweepExpiredFiles } from '@ax/retention-worker';
import { signUnsubscribe } from '@ax/storage';
import { apiKey, basicMarketplace } from '@ax/testing';
import { launchChromium, newPage, screenshots, seriousViolations, signIn, tabTo } from './support/browser';
import { createHarness, listen, SES_TEST_ENDPOINT, TEST_LINK_SECRET, type Harness } from './support/harness';

jest.setTimeout(90_000);

let h: Harness;
let server: Server;
let base: string;
let browser: Browser;
let admin: string;
let pubA: string;
let pubB: string;
const tag = Math.random().toString(36).slice(2, 8);
const violations: Record<string, string[]> = {};

beforeAll(async () => {
  if (!existsSync(join(DEFAULT_WEB_DIST, 'index.html')))
    throw new Error(`the web page is not built in ${DEFAULT_WEB_DIST}: run pnpm build:web (infra/test.sh does)`);
  // One manual run per schedule a day: a second "Send now" of the same schedule meets the 429 (rate_limited).
  h = await createHarness('web-browser', { activeExports: 2, limits: { manualRunsPerDay: 1 } });
  const sql = h.db.sql;
  await basicMarketplace(sql);
  // 70 days of installs for both publishers and of marketplace summaries, so every export has rows.
  await sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
    select p, '1.' || (g % 3), 't' || (g % 17), 'eu', 'DE', now() - (g || ' hours')::interval
    from generate_series(1, 70 * 24, 5) g, unnest(array['pkg-a1', 'pkg-a2', 'pkg-b1']) p`;
  await sql`
    insert into analytics.marketplace_daily_summary (summary_date, total_installs, active_publishers, new_packages, certifications_granted)
    select current_date - g, 100 + g, 2, g % 3, g % 2 from generate_series(1, 70) g`;
  admin = await apiKey(sql, 'admin');
  pubA = await apiKey(sql, 'publisher', 'pub-a');
  pubB = await apiKey(sql, 'publisher', 'pub-b');
  // The workers start after the first tests, which need exports to stay queued.
  ({ server, base } = await listen(h.app));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await h?.close();
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const apiGet = (path: string, token: string) => request(h.app).get(path).set(bearer(token));

/** Waits for a new export row (not in `known`) to reach a final status; returns its id and status. */
async function newExport(page: Page, known: string[]): Promise<{ id: string; status: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await page
      .locator('table.exports tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => ({ id: tr.getAttribute('data-export-id')!, status: tr.getAttribute('data-status')! })),
      );
    const fresh = rows.find((r) => !known.includes(r.id));
    if (fresh && !['queued', 'running'].includes(fresh.status)) return fresh;
    if (Date.now() > deadline) throw new Error(`no finished new export: ${JSON.stringify(rows)}`);
    await page.waitForTimeout(250);
  }
}
const exportIds = (page: Page) =>
  page.locator('table.exports tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-export-id')!));

describe('a publisher', () => {
  let page: Page;
  beforeAll(async () => {
    ({ page } = await newPage(browser, base));
  });

  it('signs in (keeping the page asked for) and sees no admin-only dataset', async () => {
    await page.goto('/analytics/export/retention');
    await page.waitForURL('**/sign-in?next=*');
    await screenshots(page, 'sign-in');
    violations['sign-in'] = await seriousViolations(page);
    await page.getByLabel('API key').fill('axk_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That key is unknown or revoked.').waitFor();
    await page.getByLabel('API key').fill(pubA);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/analytics/export/retention');
    await page.getByRole('link', { name: 'Export', exact: true }).first().click();
    await page.waitForURL('**/analytics/export');
    await page.locator('#dataset option').first().waitFor({ state: 'attached' });
    const options = await page.locator('#dataset option').allTextContents();
    expect(options.sort()).toEqual([
      'geographic_summary',
      'install_events',
      'reputation_events',
      'reviews',
      'version_adoption',
    ]);
    expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).innerText()).toMatch(
      /Analytics\s*→\s*Export\s*→\s*Scheduled Reports/,
    );
  });

  it('cancels a queued export, and is told when to retry past the active-export limit', async () => {
    const known = await exportIds(page);
    await page.locator('[data-preset=last-7-days]').click();
    for (let i = 0; i < 2; i++) {
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      await page.getByText('Export requested; it appears below.').waitFor();
    }
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    expect(await page.getByRole('alert').filter({ hasText: 'Try again in' }).innerText()).toMatch(
      /queued or running; wait for one to finish\. Try again in 10 seconds\./,
    );
    const queued = (await exportIds(page)).filter((id) => !known.includes(id));
    expect(queued).toHaveLength(2);
    for (const id of queued) {
      await page.locator(`tr[data-export-id="${id}"]`).getByRole('button', { name: 'Cancel' }).click();
      await page.locator(`tr[data-export-id="${id}"][data-status="cancelled"]`).waitFor();
      expect((await apiGet(`/v1/exports/${id}`, pubA)).body.status).toBe('cancelled');
    }
    await h.startWorker();
    await h.startReportsWorker();
  });

  it("makes a CSV export, watches it succeed and downloads it: the bytes' sha256 is the API's", async () => {
    const known = await exportIds(page);
    await page.selectOption('#dataset', 'install_events');
    await page.locator('input[name=format][value=csv]').check();
    await page.locator('[data-preset=last-7-days]').click();
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const made = await newExport(page, known);
    expect(made.status).toBe('succeeded');
    const row = page.locator(`tr[data-export-id="${made.id}"]`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: 'Download' }).click(),
    ]);
    const bytes = readFileSync(await download.path());
    const api = (await apiGet(`/v1/exports/${made.id}`, pubA)).body;
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(api.result.sha256);
    expect(await row.locator('[data-testid=sha256]').getAttribute('data-sha')).toBe(api.result.sha256);
    expect(api.result.row_count).toBeGreaterThan(0);
    expect(await row.locator('[data-testid=rows]').innerText()).toBe(api.result.row_count.toLocaleString('en-US'));
  });

  it('opens a finished JSON export as a chart with one bar group per period', async () => {
    const known = await exportIds(page);
    await page.locator('input[name=format][value=json]').check();
    await page.selectOption('#granularity', 'week');
    await page.locator('#timezone').fill('UTC');
    await page.locator('[data-preset=last-month]').click();
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const made = await newExport(page, known);
    expect(made.status).toBe('succeeded');
    await page.locator(`tr[data-export-id="${made.id}"]`).getByRole('button', { name: 'Chart' }).click();
    const chart = page.getByTestId('chart');
    await chart.getByTestId('period-count').waitFor();
    const file = (await apiGet(`/v1/exports/${made.id}/json`, pubA)).body as {
      periods: unknown[];
      from: string;
      to: string;
    };
    // A calendar month spans 5 or 6 ISO weeks (the first and last clipped).
    expect(file.periods.length).toBeGreaterThanOrEqual(5);
    expect(await chart.getByTestId('period-count').innerText()).toBe(`${file.periods.length} periods`);
    expect(await chart.locator('[data-testid=periods] tbody tr').count()).toBe(file.periods.length);
    await chart.locator('.recharts-bar').first().waitFor();
    expect(await chart.locator('.recharts-xAxis .recharts-cartesian-axis-tick').count()).toBe(file.periods.length);
    await screenshots(page, 'export');
    violations.export = await seriousViolations(page);
  });

  it('sees an export whose file expired as Expired, its figures kept and no download', async () => {
    const done = (await apiGet('/v1/exports?status=succeeded', pubA)).body.data as {
      id: string;
      result: { row_count: number; bytes: number; sha256: string };
    }[];
    const old = done[0]!;
    await h.db.sql`update app.exports set finished_at = now() - interval '31 days' where id = ${old.id}`;
    expect(await sweepExpiredFiles({ sql: h.db.sql, storage: h.storage, ttlDays: 30 })).toBe(1);
    await page.reload();
    const row = page.locator(`tr[data-export-id="${old.id}"][data-status="expired"]`);
    await row.waitFor();
    expect(await row.getByTestId('status').innerText()).toBe('Expired');
    expect(await row.locator('[data-testid=rows]').innerText()).toBe(old.result.row_count.toLocaleString('en-US'));
    expect(await row.locator('[data-testid=sha256]').getAttribute('data-sha')).toBe(old.result.sha256);
    expect(await row.locator('td[data-label=Size]').innerText()).not.toBe('—');
    expect(await row.getByRole('link', { name: 'Download' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Chart' }).count()).toBe(0);
    expect((await apiGet(`/v1/exports/${old.id}/download`, pubA)).status).toBe(410);
  });

  it('sees a range outside retention refused beside the From field', async () => {
    await page.locator('#from').fill('2001-01-01');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.locator('#from-error').waitFor();
    expect(await page.locator('#from-error').innerText()).toMatch(/on or after \d{4}-\d{2}-\d{2}/);
    expect(await page.locator('#from').getAttribute('aria-invalid')).toBe('true');
  });
});

/** The SES emulator's mail to `to` since `sinceS` (epoch seconds). */
async function mailTo(to: string, sinceS: number): Promise<{ subject: string }[]> {
  const store = (await (await fetch(`${SES_TEST_ENDPOINT}/store?since=${sinceS}`)).json()) as {
    emails: { subject: string; destination: { to: string[] } }[];
  };
  return store.emails.filter((m) => m.destination.to.includes(to));
}

describe('scheduled reports', () => {
  let page: Page;
  const one = `one-${tag}@example.com`;
  const two = `two-${tag}@example.com`;
  let scheduleId: string;
  beforeAll(async () => {
    ({ page } = await newPage(browser, base));
    await signIn(
      page,
      pubA,
      '/sign-in?next=%2Fanalytics%2Fexport%2Fscheduled-reports',
      '**/analytics/export/scheduled-reports',
    );
  });

  it('creates a weekly schedule with two recipients, sends a past week now, and both deliveries are sent', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    await page.getByRole('button', { name: 'New schedule' }).click();
    await page.locator('#s-name').fill(`Weekly installs ${tag}`);
    await page.selectOption('#s-dataset', 'install_events');
    await page.locator('#s-timezone').fill('Europe/Berlin');
    expect(await page.getByTestId('rule').innerText()).toBe(
      'Runs every Monday 06:00 Europe/Berlin, for the previous Monday–Sunday.',
    );
    for (const r of [one, two]) {
      await page.locator('#s-recipients').fill(r);
      await page.locator('#s-recipients').press('Enter');
    }
    expect(await page.locator('.chip').count()).toBe(2);
    // The e-mail preview comes from the real template: the subject the recipients will see.
    await page.getByRole('button', { name: 'Preview the e-mail' }).click();
    // Dataset and period first, the schedule's name last.
    expect(await page.getByTestId('email-subject').innerText()).toMatch(
      new RegExp(`^Installs, .+: [\\d,]+ rows .*· Weekly installs ${tag}$`),
    );
    await page.getByRole('button', { name: 'Create schedule' }).click();
    const card = page.locator('li.schedule', { hasText: `Weekly installs ${tag}` });
    await card.waitFor();
    scheduleId = (await card.getAttribute('data-schedule-id'))!;
    const api = (await apiGet(`/v1/schedules/${scheduleId}`, pubA)).body;
    expect(api).toMatchObject({
      frequency: 'weekly',
      timezone: 'Europe/Berlin',
      recipients: [one, two],
      paused: false,
    });
    // The next run, in the viewer's local time.
    expect(await card.getByTestId('next-run').innerText()).toBe(
      new Date(api.next_run_at).toLocaleString('en-US', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
      }),
    );

    await card.getByRole('button', { name: 'Runs' }).click();
    await card.getByRole('button', { name: 'Send now' }).click();
    for (const r of [one, two])
      await card.locator(`li[data-recipient="${r}"][data-status="sent"]`).waitFor({ timeout: 30_000 });
    const runs = (await apiGet(`/v1/schedules/${scheduleId}/runs`, pubA)).body.data;
    expect(runs).toHaveLength(1);
    expect(runs[0].deliveries.map((d: { status: string }) => d.status)).toEqual(['sent', 'sent']);
    expect(await mailTo(one, since)).toHaveLength(1);
    expect(await mailTo(two, since)).toHaveLength(1);
    await screenshots(page, 'scheduled-reports');
    violations['scheduled-reports'] = await seriousViolations(page);
  });

  it('pauses, resumes, edits and deletes, each checked through the API', async () => {
    const card = page.locator(`li[data-schedule-id="${scheduleId}"]`);
    const get = async () => (await apiGet(`/v1/schedules/${scheduleId}`, pubA)).body;
    await card.getByRole('button', { name: 'Pause' }).click();
    await page.locator(`li[data-schedule-id="${scheduleId}"][data-paused="true"]`).waitFor();
    expect((await get()).paused).toBe(true);
    await card.getByRole('button', { name: 'Resume' }).click();
    await page.locator(`li[data-schedule-id="${scheduleId}"][data-paused="false"]`).waitFor();
    expect((await get()).paused).toBe(false);

    await card.getByRole('button', { name: 'Edit' }).click();
    await page.locator('#s-name').fill(`Renamed ${tag}`);
    await page.locator('input[name=s-frequency][value=monthly]').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await card.getByRole('heading', { name: `Renamed ${tag}` }).waitFor();
    expect(await get()).toMatchObject({ name: `Renamed ${tag}`, frequency: 'monthly' });

    await card.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await card.waitFor({ state: 'detached' });
    expect((await apiGet(`/v1/schedules/${scheduleId}`, pubA)).status).toBe(404);
  });

  it("shows a bad recipient's error beside its chip, from the API", async () => {
    const before = (await apiGet('/v1/schedules', pubA)).body.data.length;
    await page.getByRole('button', { name: 'New schedule' }).click();
    for (const r of [`ok-${tag}@example.com`, 'not-an-address']) {
      await page.locator('#s-recipients').fill(r);
      await page.locator('#s-recipients').press('Enter');
    }
    await page.getByRole('button', { name: 'Create schedule' }).click();
    await page.locator('#s-recipients-error').waitFor();
    expect(await page.locator('.chip.bad').count()).toBe(1);
    expect(await page.locator('.chip.bad').getAttribute('data-recipient')).toBe('not-an-address');
    expect((await apiGet('/v1/schedules', pubA)).body.data.length).toBe(before);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('marks a recipient who unsubscribed, suppresses their delivery, refuses adding them back, and says why it is paused', async () => {
    const keep = `keep-${tag}@example.com`;
    const gone = `gone-${tag}@example.com`;
    const ops = `ops-${tag}@example.com`;
    await page.getByRole('button', { name: 'New schedule' }).click();
    await page.locator('#s-name').fill(`Leaving ${tag}`);
    for (const [input, r] of [
      ['#s-recipients', keep],
      ['#s-recipients', gone],
      ['#s-contacts', ops],
    ] as const) {
      await page.locator(input).fill(r);
      await page.locator(input).press('Enter');
    }
    await page.getByRole('button', { name: 'Create schedule' }).click();
    const card = page.locator('li.schedule', { hasText: `Leaving ${tag}` });
    await card.waitFor();
    const id = (await card.getAttribute('data-schedule-id'))!;
    expect((await apiGet(`/v1/schedules/${id}`, pubA)).body).toMatchObject({
      recipients: [keep, gone],
      failure_contacts: [ops],
      unsubscribed: [],
      paused_reason: null,
    });
    expect(await card.getByTestId('paused-reason').innerText()).toBe('Active');

    // The recipient's one-click unsubscribe (the token their e-mail carries).
    expect((await request(h.app).post(`/v1/unsubscribe/${signUnsubscribe(TEST_LINK_SECRET, id, gone)}`)).status).toBe(
      200,
    );
    await page.reload();
    await card.locator(`li[data-recipient="${gone}"][data-unsubscribed="true"]`).waitFor();
    expect(await card.locator(`li[data-recipient="${keep}"]`).getAttribute('data-unsubscribed')).toBeNull();
    expect(await card.getByTestId('unsubscribed').innerText()).toBe(`Unsubscribed: ${gone}`);

    await card.getByRole('button', { name: 'Runs' }).click();
    await card.getByRole('button', { name: 'Send now' }).click();
    await card.locator(`li[data-recipient="${keep}"][data-status="sent"]`).waitFor({ timeout: 30_000 });
    const suppressed = card.locator(`li[data-recipient="${gone}"][data-status="suppressed"]`);
    await suppressed.waitFor();
    expect(await suppressed.innerText()).toContain('Suppressed (unsubscribed)');
    // Past the daily manual-run limit: the 429 says when (Retry-After runs to UTC midnight, so a time, not seconds).
    await card.getByLabel('Send again if already sent').check();
    await card.getByRole('button', { name: 'Send now' }).click();
    expect(await card.getByRole('alert').filter({ hasText: 'manual runs' }).innerText()).toMatch(
      /^At most 1 manual runs per schedule per UTC day; try again tomorrow\. You can try again after \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M \S+\.$/,
    );

    // Once removed, adding the address back is refused by the API, beside its chip.
    await card.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByTestId('schedule-form');
    expect(await form.locator(`.chip[data-recipient="${gone}"][data-unsubscribed="true"]`).innerText()).toContain(
      'unsubscribed',
    );
    await form.getByRole('button', { name: `Remove ${gone}` }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });
    expect((await apiGet(`/v1/schedules/${id}`, pubA)).body.recipients).toEqual([keep]);
    await card.getByRole('button', { name: 'Edit' }).click();
    await page.locator('#s-recipients').fill(gone);
    await page.locator('#s-recipients').press('Enter');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#s-recipients-error').waitFor();
    expect(await page.locator('.chip.bad').getAttribute('data-recipient')).toBe(gone);
    expect(await page.locator('.chip.bad').innerText()).toContain('only the recipient can undo');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await card.getByRole('button', { name: 'Pause' }).click();
    await page.locator(`li[data-schedule-id="${id}"][data-paused="true"]`).waitFor();
    expect((await apiGet(`/v1/schedules/${id}`, pubA)).body.paused_reason).toBe('user');
    expect(await card.getByTestId('paused-reason').innerText()).toBe('Paused by you');
    await screenshots(page, 'scheduled-reports-unsubscribed');
    await h.db.sql`update app.schedules set paused_reason = 'failing' where id = ${id}`;
    await page.reload();
    expect(await card.getByTestId('paused-reason').innerText()).toBe('Paused: failing runs');
    await h.db.sql`update app.schedules set paused_reason = 'creator_key_revoked' where id = ${id}`;
    await page.reload();
    expect(await card.getByTestId('paused-reason').innerText()).toBe('Paused: the key that created it was revoked');
  });

  it('can be created with the keyboard alone', async () => {
    await page.goto('/analytics/export/scheduled-reports');
    await page.getByRole('heading', { name: 'Scheduled Reports' }).waitFor();
    await tabTo(page, 'button:text("New schedule")');
    await page.keyboard.press('Enter');
    await tabTo(page, '#s-name');
    await page.keyboard.type(`Keyboard ${tag}`);
    await tabTo(page, 'input[name=s-frequency][value=weekly]');
    await page.keyboard.press('ArrowRight'); // monthly
    await tabTo(page, '#s-recipients');
    await page.keyboard.type(`kb-${tag}@example.com`);
    await page.keyboard.press('Enter');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.locator('li.schedule', { hasText: `Keyboard ${tag}` }).waitFor();
    const made = (await apiGet('/v1/schedules', pubA)).body.data.find(
      (s: { name: string }) => s.name === `Keyboard ${tag}`,
    );
    expect(made).toMatchObject({ frequency: 'monthly', recipients: [`kb-${tag}@example.com`] });
  });
});

describe('retention', () => {
  it('exports a month that ages out in one click, and opens a prefilled monthly archive schedule', async () => {
    const { page } = await newPage(browser, base);
    await signIn(page, pubA, '/sign-in?next=%2Fanalytics%2Fexport%2Fretention', '**/analytics/export/retention');
    const retention = (await apiGet('/v1/retention', pubA)).body;
    await page.getByTestId('cutoff').waitFor();
    expect(await page.locator('li.month').count()).toBe(retention.months.length);
    const first = retention.months[0];
    await screenshots(page, 'retention');
    violations.retention = await seriousViolations(page);
    await page
      .locator(`li.month[data-month="${first.month}"]`)
      .getByRole('button', { name: `Export ${first.month}` })
      .click();
    await page.getByText(`Export of ${first.from} → ${first.to} requested`).waitFor();
    const exports = (await apiGet('/v1/exports', pubA)).body.data;
    expect(exports.some((e: { from: string; to: string }) => e.from === first.from && e.to === first.to)).toBe(true);

    await page.getByTestId('archive-link').click();
    await page.waitForURL('**/scheduled-reports?archive=monthly*');
    expect(await page.locator('#s-name').inputValue()).toBe('Monthly archive');
    expect(await page.locator('input[name=s-frequency][value=monthly]').isChecked()).toBe(true);
    await page.locator('#s-recipients').fill(`archive-${tag}@example.com`);
    await page.locator('#s-recipients').press('Enter');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    await page.locator('li.schedule', { hasText: 'Monthly archive' }).waitFor();
    const made = (await apiGet('/v1/schedules', pubA)).body.data.find(
      (s: { name: string }) => s.name === 'Monthly archive',
    );
    expect(made).toMatchObject({
      frequency: 'monthly',
      compression: 'gzip',
      recipients: [`archive-${tag}@example.com`],
    });
  });
});

describe('an admin', () => {
  it('picks a publisher, and sees and exports the admin-only datasets', async () => {
    const { page } = await newPage(browser, base);
    await signIn(page, admin);
    await page.locator('#dataset option').first().waitFor({ state: 'attached' });
    expect(await page.locator('#dataset option').allTextContents()).toEqual(
      expect.arrayContaining(['marketplace_summary', 'leaderboard_history']),
    );
    await page.locator('#publisher option[value="pub-b"]').waitFor({ state: 'attached' });
    await page.selectOption('#publisher', 'pub-b');
    await page.locator('#packages option[value="pkg-b1"]').waitFor({ state: 'attached' });
    expect(await page.locator('#packages option').count()).toBe(2);
    await page.locator('[data-preset=last-7-days]').click();
    let known = await exportIds(page);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const scoped = await newExport(page, known);
    expect((await apiGet(`/v1/exports/${scoped.id}`, admin)).body).toMatchObject({
      status: 'succeeded',
      filters: { publisher_id: 'pub-b' },
    });

    await page.selectOption('#publisher', '');
    await page.selectOption('#dataset', 'marketplace_summary');
    known = await exportIds(page);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const summary = await newExport(page, known);
    const body = (await apiGet(`/v1/exports/${summary.id}`, admin)).body;
    expect(body).toMatchObject({ dataset: 'marketplace_summary', status: 'succeeded' });
    expect(body.result.row_count).toBeGreaterThan(0);
  });
});

describe('a second publisher', () => {
  it("never sees the first one's exports or schedules, in the page or through its API calls; signs out", async () => {
    const aExports: string[] = (await apiGet('/v1/exports', pubA)).body.data.map((e: { id: string }) => e.id);
    const aSchedules: string[] = (await apiGet('/v1/schedules', pubA)).body.data.map((s: { id: string }) => s.id);
    expect(aExports.length).toBeGreaterThan(0);
    expect(aSchedules.length).toBeGreaterThan(0);
    const { page } = await newPage(browser, base);
    const bodies: string[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/v1/'))
        void res.text().then(
          (t) => bodies.push(t),
          () => undefined,
        );
    });
    await signIn(page, pubB);
    await page.getByRole('heading', { name: 'Your exports' }).waitFor();
    await page.getByRole('link', { name: 'Scheduled Reports' }).last().click();
    await page.getByText('No scheduled reports yet.').waitFor();
    await page.getByRole('link', { name: 'Retention' }).click();
    await page.getByTestId('cutoff').waitFor();
    const text = bodies.join('\n') + (await page.content());
    for (const id of [...aExports, ...aSchedules]) expect(text).not.toContain(id);
    // Its session cookie gets 404 for the first publisher's objects.
    const cookies = await page.context().cookies();
    const cookie = `ax_session=${cookies.find((c) => c.name === 'ax_session')!.value}`;
    expect((await request(h.app).get(`/v1/exports/${aExports[0]}`).set('Cookie', cookie)).status).toBe(404);
    expect((await request(h.app).get(`/v1/schedules/${aSchedules[0]}`).set('Cookie', cookie)).status).toBe(404);
    expect(cookies.find((c) => c.name === 'ax_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
    });
    // Signing out ends the session on the server too.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    expect((await request(h.app).get('/v1/me').set('Cookie', cookie)).status).toBe(401);
    expect((await page.context().cookies()).some((c) => c.name === 'ax_session')).toBe(false);
  });
});

describe('every page', () => {
  it('has no serious or critical axe-core violation', () => {
    expect(Object.keys(violations).sort()).toEqual(['export', 'retention', 'scheduled-reports', 'sign-in']);
    expect(violations).toEqual({ export: [], retention: [], 'scheduled-reports': [], 'sign-in': [] });
  });
});
