// Recipients can leave (CONTRACT §6.4, RFC 8058): headers read back from the SES emulator, a GET that changes
// nothing, one-click POST, suppressed deliveries, the owner unable to add the address back, and Undo.
import request from 'supertest';
import { duePeriods } from '@ax/datasets';
import { signUnsubscribe } from '@ax/storage';
import { apiKey, basicMarketplace } from '@ax/testing';
import { createHarness, PUBLIC_BASE_URL, TEST_LINK_SECRET, type Harness } from './support/harness';
import { headerOf, mailTo, uniqueRecipient, waitFor } from './support/ses';

let h: Harness;
let pubA: string;
const week = duePeriods('weekly', 'UTC', new Date(), 2)[0]!;

beforeAll(async () => {
  h = await createHarness('unsub');
  await basicMarketplace(h.db.sql);
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  await h.startWorker();
  await h.startReportsWorker();
});
afterAll(() => h.close());

const auth = (r: request.Test) => r.set('Authorization', `Bearer ${pubA}`);
type Run = { id: string; status: string; deliveries: { recipient: string; status: string; error: string | null }[] };
const runsOf = async (id: string) => (await auth(request(h.app).get(`/v1/schedules/${id}/runs`))).body.data as Run[];
const finishedRuns = (id: string, n: number) =>
  waitFor(`${n} finished run(s)`, async () => {
    const runs = await runsOf(id);
    return runs.length >= n && runs.every((r) => r.status === 'succeeded' || r.status === 'failed') ? runs : null;
  });
const run = (id: string, resend = false) =>
  auth(request(h.app).post(`/v1/schedules/${id}/runs`)).send({ period_start: week.startDate, resend });
const unsubscribedOf = async (id: string) =>
  (await auth(request(h.app).get(`/v1/schedules/${id}`))).body.unsubscribed as string[];

describe('unsubscribe', () => {
  it('one-click POST stops that address only; the owner cannot add it back; Undo restores it', async () => {
    const [r1, r2] = [uniqueRecipient('unsub1'), uniqueRecipient('unsub2')];
    const created = await auth(request(h.app).post('/v1/schedules')).send({
      dataset: 'install_events',
      format: 'csv',
      frequency: 'weekly',
      name: 'Weekly installs',
      recipients: [r1, r2],
    });
    expect(created.status).toBe(201);
    expect(created.body.unsubscribed).toEqual([]);
    const id = created.body.id as string;
    expect((await run(id)).status).toBe(202);
    await finishedRuns(id, 1);

    const [mail] = await waitFor('the first e-mail', async () => ((await mailTo([r1])).length ? mailTo([r1]) : null));
    const header = headerOf(mail!, 'List-Unsubscribe');
    const m = /^<(http:\/\/reports\.test(\/v1\/unsubscribe\/[A-Za-z0-9._-]+))>$/.exec(header ?? '');
    expect(m).not.toBeNull();
    expect(headerOf(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const path = m![2]!;
    expect(mail!.body.text).toContain(`${PUBLIC_BASE_URL}${path}`);
    expect(mail!.body.html).toContain(`href="${PUBLIC_BASE_URL}${path}"`);
    // Each recipient's token is their own.
    const [mail2] = await mailTo([r2]);
    expect(headerOf(mail2!, 'List-Unsubscribe')).not.toBe(header);

    // A GET (a mail scanner, a preview) shows the button and changes nothing.
    for (let i = 0; i < 3; i++) {
      const page = await request(h.app).get(path);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain(`action="${path}"`);
      expect(page.text).toContain(r1.toLowerCase());
      expect(page.text).not.toMatch(/<script/i);
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    expect(await unsubscribedOf(id)).toEqual([]);

    // The mail client's one-click POST (RFC 8058 body).
    const post = await request(h.app).post(path).type('form').send('List-Unsubscribe=One-Click');
    expect(post.status).toBe(200);
    expect(post.text).toContain(`action="${path}/undo"`);
    expect(await unsubscribedOf(id)).toEqual([r1.toLowerCase()]);
    expect((await request(h.app).post(path)).status).toBe(200); // repeating it is harmless

    // The next run: nothing to r1 (recorded suppressed), r2 still gets it.
    expect((await run(id, true)).status).toBe(202);
    const [latest] = await finishedRuns(id, 2);
    expect(latest!.status).toBe('succeeded');
    expect(latest!.deliveries.map((d) => [d.recipient, d.status]).sort()).toEqual(
      [
        [r1, 'suppressed'],
        [r2, 'sent'],
      ].sort(),
    );
    await waitFor('r2 second e-mail', async () => (await mailTo([r2])).length === 2);
    expect(await mailTo([r1])).toHaveLength(1);

    // The owner may keep the address listed, or drop it, but not add it back.
    expect((await auth(request(h.app).patch(`/v1/schedules/${id}`)).send({ recipients: [r1, r2] })).status).toBe(200);
    expect((await auth(request(h.app).patch(`/v1/schedules/${id}`)).send({ recipients: [r2] })).status).toBe(200);
    const readd = await auth(request(h.app).patch(`/v1/schedules/${id}`)).send({ recipients: [r2, r1.toUpperCase()] });
    expect(readd.status).toBe(422);
    expect(readd.body.error.code).toBe('recipient_unsubscribed');
    expect(readd.body.error.details[0].field).toBe('recipients.1');

    // Only the recipient can undo; then the owner may add them back and they get mail again.
    const undo = await request(h.app).post(`${path}/undo`);
    expect(undo.status).toBe(200);
    expect(undo.text).toContain(`action="${path}"`);
    expect(await unsubscribedOf(id)).toEqual([]);
    expect((await auth(request(h.app).patch(`/v1/schedules/${id}`)).send({ recipients: [r2, r1] })).status).toBe(200);
    expect((await run(id, true)).status).toBe(202);
    await finishedRuns(id, 3);
    await waitFor('r1 second e-mail', async () => (await mailTo([r1])).length === 2);
  });

  it('refuses a tampered token (403) and answers 410 once the schedule is deleted', async () => {
    const r = uniqueRecipient('unsub3');
    const created = await auth(request(h.app).post('/v1/schedules')).send({
      dataset: 'install_events',
      format: 'csv',
      frequency: 'weekly',
      recipients: [r],
    });
    const id = created.body.id as string;
    const token = signUnsubscribe(TEST_LINK_SECRET, id, r);
    const other = signUnsubscribe(TEST_LINK_SECRET, id, 'someone-else@reports.example.com');
    const forged = `${token.split('.').slice(0, 2).join('.')}.${other.split('.')[2]}`;
    for (const bad of [forged, signUnsubscribe('another-secret-of-enough-length', id, r), 'garbage']) {
      expect((await request(h.app).get(`/v1/unsubscribe/${bad}`)).status).toBe(403);
      expect((await request(h.app).post(`/v1/unsubscribe/${bad}`)).status).toBe(403);
    }
    expect(await unsubscribedOf(id)).toEqual([]);
    expect((await auth(request(h.app).delete(`/v1/schedules/${id}`))).status).toBe(204);
    const gone = await request(h.app).get(`/v1/unsubscribe/${token}`);
    expect(gone.status).toBe(410);
    expect(gone.text).toContain('deleted');
  });
});
