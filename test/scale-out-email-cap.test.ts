// The per-publisher daily e-mail cap (§6.4) holds across two export-worker processes: 12 deliveries of one
// publisher, split over four runs that the two processes share, against EMAILS_PER_PUBLISHER_PER_DAY=5 →
// exactly 5 e-mails in the SES store, 7 deliveries failed 'rate_limited'. Real processes, private SES.
import { duePeriods } from '@ax/datasets';
import { apiKey, basicMarketplace } from '@ax/testing';
import { client, createChaosStack, type ChaosStack } from './support/chaos-stack';
import { eventually, jsonLogs, stopProc } from './support/private-services';

jest.setTimeout(150_000);

let stack: ChaosStack;
beforeAll(async () => {
  stack = await createChaosStack('mailcap');
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

it('two worker processes together send at most EMAILS_PER_PUBLISHER_PER_DAY e-mails of one publisher', async () => {
  await basicMarketplace(stack.db.sql);
  const pubB = await apiKey(stack.db.sql, 'publisher', 'pub-b');
  const cap = { EMAILS_PER_PUBLISHER_PER_DAY: '5', REPORT_CONCURRENCY: '2' };
  const [api, ...workers] = await Promise.all([stack.api(), stack.worker(cap), stack.worker(cap)]);
  const c = client(api, pubB);
  const week = duePeriods('weekly', 'UTC', new Date(), 2)[0]!;
  const ids: string[] = [];
  for (let s = 0; s < 4; s++) {
    const recipients = [0, 1, 2].map((i) => `cap-${s}-${i}@reports.example.com`);
    const res = await c.post('/v1/schedules', { dataset: 'reviews', format: 'csv', frequency: 'weekly', recipients });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  await Promise.all(
    ids.map(async (id) =>
      expect((await c.post(`/v1/schedules/${id}/runs`, { period_start: week.startDate })).status).toBe(202),
    ),
  );

  const deliveries = await eventually(
    'every run finished',
    async () => {
      const open = await stack.db.sql`select 1 from app.schedule_runs where status in ('queued', 'running')`;
      if (open.length) return null;
      return stack.db.sql<{ status: string; error: string | null }[]>`select status, error from app.deliveries`;
    },
    120_000,
    200,
  );
  expect(deliveries).toHaveLength(12);
  expect(deliveries.filter((d) => d.status === 'sent')).toHaveLength(5);
  const limited = deliveries.filter((d) => d.status === 'failed');
  expect(limited).toHaveLength(7);
  expect(limited.every((d) => d.error!.startsWith('rate_limited'))).toBe(true);
  expect(await stack.ses.mails()).toHaveLength(5);
  // The four runs were delivered by the two processes, whichever took each; the cap lives in PostgreSQL, not in a process.
  const finishedBy = workers.map((w) => jsonLogs(w).filter((l) => l.msg === 'report run finished').length);
  expect(finishedBy.reduce((a, b) => a + b, 0)).toBe(4);
  await Promise.all([...workers, api].map((p) => stopProc(p)));
});
