import {
  classifySendError,
  dayLabel,
  describeChange,
  formatBytes,
  rangeLabel,
  renderReportEmail,
  type ReportSummary,
} from './index';

const input = {
  to: 'a@example.com',
  scheduleName: 'Weekly <b>installs</b> & "more"',
  frequency: 'weekly' as const,
  dataset: 'install_events',
  format: 'csv',
  periodStart: '2026-01-05',
  periodEnd: '2026-01-12',
  periodLastDay: '2026-01-11',
  timezone: 'Europe/Berlin',
  rowCount: 12345,
  rowUnit: 'rows' as const,
  bytes: 2_500_000,
  fileName: 'install_events_2026-01-05_2026-01-12.csv',
  link: 'http://127.0.0.1:3000/v1/report-links/abc?x=1&y=<2>',
  linkExpiresAt: new Date('2026-01-26T06:00:00Z'),
  unsubscribeUrl: 'http://127.0.0.1:3000/v1/unsubscribe/tok',
  summary: null,
};

const summary: ReportSummary = {
  metric: { label: 'Installs', unit: 'installs', value: 1234, previous: 1100 },
  figures: [{ label: 'Unique tenants', value: '345' }],
  chart: {
    title: 'Installs per day',
    bars: [
      { label: 'Mon 5 Jan', value: 200 },
      { label: 'Tue 6 Jan', value: 0 },
      { label: 'Wed 7 Jan', value: 1034 },
    ],
  },
  top: {
    title: 'Top packages by installs',
    rows: [
      { label: 'Acme <script>x</script> (pkg-a1)', value: '1,000' },
      { label: 'pkg-a2', value: '234' },
    ],
  },
};

describe('report e-mail', () => {
  it('puts dataset and period first in the subject, the figures next, the name last and on one line', () => {
    expect(renderReportEmail(input).subject).toBe(
      'Installs, 5–11 Jan 2026: weekly report · Weekly <b>installs</b> & "more"',
    );
    expect(renderReportEmail({ ...input, summary }).subject).toBe(
      'Installs, 5–11 Jan 2026: 1,234 installs (▲ 12%) · Weekly <b>installs</b> & "more"',
    );
    expect(renderReportEmail({ ...input, scheduleName: '' }).subject).toBe('Installs, 5–11 Jan 2026: weekly report');
    expect(renderReportEmail({ ...input, scheduleName: 'a\r\nBcc: x@evil.test' }).subject).not.toMatch(/[\r\n]/);
    const monthly = renderReportEmail({
      ...input,
      frequency: 'monthly',
      periodStart: '2026-01-01',
      periodEnd: '2026-02-01',
      periodLastDay: '2026-01-31',
    });
    expect(monthly.subject).toMatch(/^Installs, January 2026: /);
  });
  it('escapes everything in HTML and carries count, size and link in both bodies', () => {
    const m = renderReportEmail({ ...input, summary });
    expect(m.html).toContain('Weekly &lt;b&gt;installs&lt;/b&gt; &amp; &quot;more&quot;');
    expect(m.html).not.toContain('<b>installs');
    expect(m.html).toContain('Acme &lt;script&gt;x&lt;/script&gt;');
    expect(m.html).not.toMatch(/<script|<svg|<img|<link|url\(/i);
    expect(m.html).toContain('href="http://127.0.0.1:3000/v1/report-links/abc?x=1&amp;y=&lt;2&gt;"');
    // The name never heads the mail: the dataset and the period come before it.
    expect(m.html.indexOf('Installs · weekly report')).toBeLessThan(m.html.indexOf('Weekly &lt;b&gt;'));
    expect(m.html.indexOf('5–11 Jan 2026')).toBeLessThan(m.html.indexOf('Weekly &lt;b&gt;'));
    for (const body of [m.html, m.text]) {
      expect(body).toContain('12,345 rows');
      expect(body).toContain('2.4 MiB');
      expect(body).toContain('Europe/Berlin');
      expect(body).toContain('2026-01-05');
      expect(body).toContain('1,234');
      expect(body).toContain('▲ 12% (previous week: 1,100)');
      expect(body).toContain('345');
      expect(body).toContain('Wed 7 Jan');
      expect(body).toContain('1,034');
      expect(body).toContain('pkg-a2');
      expect(body).toContain(input.unsubscribeUrl);
    }
    expect(m.text).toContain(input.link);
    expect(m.text).toMatch(/Wed 7 Jan +#{24} +1,034/);
    expect(m.text).toMatch(/Tue 6 Jan +0/);
    expect(m.headers).toEqual([
      { name: 'List-Unsubscribe', value: `<${input.unsubscribeUrl}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
  });
  it('describes changes against the previous period', () => {
    expect(describeChange(90, 100, 'week')).toEqual({ direction: 'down', text: '▼ 10% (previous week: 100)' });
    expect(describeChange(101, 100, 'week').text).toBe('▲ 1.0% (previous week: 100)');
    expect(describeChange(5, 0, 'month').direction).toBe('new');
    expect(describeChange(0, 0, 'month').direction).toBe('same');
    expect(describeChange(5, null, 'month').text).toBe('No figures for the previous month');
  });
  it('labels days and ranges', () => {
    expect(dayLabel('2026-01-05')).toBe('Mon 5 Jan');
    expect(rangeLabel('2026-01-26', '2026-02-01')).toBe('26 Jan – 1 Feb 2026');
    expect(rangeLabel('2025-12-29', '2026-01-04')).toBe('29 Dec 2025 – 4 Jan 2026');
    expect(rangeLabel('2026-01-01', '2026-01-04', false)).toBe('1–4 Jan');
  });
  it('formats sizes and escapes quotes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(renderReportEmail({ ...input, scheduleName: `<'&">` }).html).toContain('&lt;&#39;&amp;&quot;&gt;');
  });
});

describe('classifySendError', () => {
  const aws = (name: string, status: number) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  it('retries throttling and 5xx, rejects other 4xx, and treats timeouts as unknown', () => {
    expect(classifySendError(aws('TooManyRequestsException', 429)).kind).toBe('retry');
    expect(classifySendError(aws('InternalFailure', 500)).kind).toBe('retry');
    expect(classifySendError(aws('MessageRejected', 400)).kind).toBe('rejected');
    expect(classifySendError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).kind).toBe('retry');
    expect(classifySendError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).kind).toBe('unknown');
    expect(classifySendError(Object.assign(new Error('t'), { name: 'TimeoutError' })).kind).toBe('unknown');
  });
});
