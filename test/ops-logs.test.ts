// Log lines of an export and a report delivery, captured from pino: every API line carries a request id,
// every job line its job id and the export / run / schedule id, and no secret ever reaches a line.
import request from 'supertest';
import { createLogger, createMetrics } from '@ax/runtime';
import { apiKey, basicMarketplace } from '@ax/testing';
import { duePeriods } from '@ax/datasets';
import { createHarness, waitForExport, type Harness } from './support/harness';
import { sampleValue } from './support/prometheus';
import { mailTo, uniqueRecipient, waitFor } from './support/ses';

type Line = Record<string, unknown> & { msg: string };
const raw: string[] = [];
const logger = createLogger('test', 'debug', { write: (s: string) => void raw.push(s) });
const lines = (): Line[] => raw.map((s) => JSON.parse(s) as Line);
const workerMetrics = createMetrics('export-worker');

let h: Harness;
let admin: string;
let pubA: string;
const week = duePeriods('weekly', 'UTC', new Date(), 2)[0]!;

beforeAll(async () => {
  h = await createHarness('logs', { logger });
  await basicMarketplace(h.db.sql);
  const at = new Date(week.start.getTime() + 3600_000);
  await h.db.sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date) values
      ('pkg-a1', '1.0.0', 't1', 'eu-west', 'DE', ${at})`;
  admin = await apiKey(h.db.sql, 'admin');
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  await h.startWorker();
  await h.startReportsWorker({ metrics: workerMetrics });
});
afterAll(() => h.close());

describe('logs of an export and a report delivery', () => {
  const secrets: { what: string; value: string }[] = [];

  beforeAll(async () => {
    const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
    // An export, polled and downloaded: the download answer carries a presigned S3 URL.
    const created = await request(h.app)
      .post('/v1/exports')
      .set(auth(pubA))
      .set('X-Request-Id', 'client-req-42')
      .send({ dataset: 'install_events', format: 'csv', from: week.startDate, to: week.endDate });
    expect(created.status).toBe(202);
    expect(created.headers['x-request-id']).toBe('client-req-42');
    expect((await waitForExport(h.app, pubA, created.body.id)).status).toBe('succeeded');
    const dl = await request(h.app).get(`/v1/exports/${created.body.id}/download`).set(auth(pubA));
    expect(dl.headers.location).toContain('X-Amz-Signature=');
    secrets.push({ what: 'presigned URL', value: dl.headers.location! });

    // A scheduled report delivered by e-mail, and its link followed.
    const recipient = uniqueRecipient('logs');
    const schedule = await request(h.app)
      .post('/v1/schedules')
      .set(auth(pubA))
      .send({
        dataset: 'install_events',
        format: 'csv',
        frequency: 'weekly',
        recipients: [recipient],
        name: 'Log check',
      });
    expect(schedule.status).toBe(201);
    const backfill = await request(h.app)
      .post(`/v1/schedules/${schedule.body.id}/runs`)
      .set(auth(pubA))
      .send({ period_start: week.startDate });
    expect(backfill.status).toBe(202);
    const [mail] = await waitFor('the report e-mail', async () =>
      (await mailTo([recipient])).length ? mailTo([recipient]) : null,
    );
    const text = mail!.body.text!;
    const link = /\/v1\/report-links\/([A-Za-z0-9._-]+)/.exec(text);
    expect(link).not.toBeNull();
    const followed = await request(h.app).get(`/v1/report-links/${link![1]}`);
    expect(followed.status).toBe(302);
    await waitFor('the run to finish', async () => {
      const runs = await request(h.app).get(`/v1/schedules/${schedule.body.id}/runs`).set(auth(pubA));
      return runs.body.data[0]?.status === 'succeeded';
    });

    // Refused credentials are not logged either.
    expect((await request(h.app).get('/v1/exports').set(auth('axk_wrong-token-0123456789'))).status).toBe(401);
    expect((await request(h.app).get('/v1/datasets').set(auth(admin))).status).toBe(200);
    // Signing in to the web page: the key in the body never reaches a line.
    expect((await request(h.app).post('/v1/sessions').send({ token: admin })).status).toBe(201);

    secrets.push(
      { what: 'admin bearer token', value: admin },
      { what: 'publisher bearer token', value: pubA },
      { what: 'refused bearer token', value: 'axk_wrong-token-0123456789' },
      { what: 'report-link token', value: link![1]! },
      { what: 'e-mail text body', value: text },
      { what: 'e-mail html body', value: mail!.body.html! },
      // Every substantial line of the body on its own, not just the whole text.
      ...text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l.length >= 25)
        .map((value) => ({ what: 'e-mail body line', value })),
    );
  });

  it('contains no token, signed URL or e-mail body', () => {
    const all = raw.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const s of secrets)
      expect({ what: s.what, found: all.includes(s.value) }).toEqual({ what: s.what, found: false });
    expect(all).not.toContain('X-Amz-Signature');
    expect(all).not.toMatch(/report-links\/(?!:token)/); // the route pattern is fine, a real token is not
    expect(all).not.toMatch(/Bearer\s/i);
  });

  it('puts a request id on every API line and the job and object ids on every worker line', () => {
    const all = lines();
    const requestLines = all.filter((l) => l.msg === 'request');
    expect(requestLines.length).toBeGreaterThanOrEqual(8);
    expect(requestLines.find((l) => l.requestId === 'client-req-42')).toMatchObject({
      method: 'POST',
      route: '/v1/exports/',
      status: 202,
    });
    expect(requestLines.find((l) => l.route === '/v1/report-links/:token')).toMatchObject({ status: 302 });
    // Generated ids are unique per request.
    const generated = requestLines.map((l) => l.requestId).filter((id) => id !== 'client-req-42');
    expect(new Set(generated).size).toBe(generated.length);

    const jobLines = all.filter((l) => l.jobId !== undefined);
    for (const l of jobLines) {
      expect({
        msg: l.msg,
        hasObjectId: ['exportId', 'runId', 'scheduleId'].some((k) => typeof l[k] === 'string'),
      }).toEqual({ msg: l.msg, hasObjectId: true });
    }
    expect(jobLines.filter((l) => l.msg === 'export succeeded')).toHaveLength(2);
    expect(jobLines.find((l) => l.msg === 'report run finished')).toMatchObject({
      queue: 'reports',
      job: 'report.deliver',
    });

    // Anything else is neither a request nor a job line; none is expected here.
    const stray = all.filter((l) => l.requestId === undefined && l.jobId === undefined).map((l) => l.msg);
    expect(stray).toEqual([]);
  });

  it('counts the sent e-mail by outcome', async () => {
    expect(sampleValue(await workerMetrics.registry.metrics(), 'ax_emails_total', { outcome: 'sent' })).toBe(1);
  });
});
