import { classifySendError, escapeHtml, formatBytes, renderReportEmail } from './index';

const input = {
  to: 'a@example.com', scheduleName: 'Weekly <b>installs</b> & "more"', frequency: 'weekly' as const, dataset: 'install_events',
  format: 'csv', periodStart: '2026-01-05', periodEnd: '2026-01-12', periodLastDay: '2026-01-11', timezone: 'Europe/Berlin',
  rowCount: 12345, rowUnit: 'rows' as const, bytes: 2_500_000, fileName: 'install_events_2026-01-05_2026-01-12.csv',
  link: 'http://127.0.0.1:3000/v1/report-links/abc?x=1&y=<2>', linkExpiresAt: new Date('2026-01-26T06:00:00Z'),
  unsubscribeUrl: 'http://127.0.0.1:3000/v1/unsubscribe/tok',
};

describe('report e-mail', () => {
  it('names the report, dataset, period and zone in the subject', () => {
    expect(renderReportEmail(input).subject).toBe('Weekly <b>installs</b> & "more": install_events, 2026-01-05 to 2026-01-11 (Europe/Berlin)');
    expect(renderReportEmail({ ...input, scheduleName: '' }).subject).toMatch(/^Weekly report: install_events/);
    expect(renderReportEmail({ ...input, scheduleName: 'a\r\nBcc: x@evil.test' }).subject).not.toMatch(/[\r\n]/);
  });
  it('escapes everything in HTML and carries count, size and link in both bodies', () => {
    const m = renderReportEmail(input);
    expect(m.html).toContain('Weekly &lt;b&gt;installs&lt;/b&gt; &amp; &quot;more&quot;');
    expect(m.html).not.toContain('<b>installs');
    expect(m.html).toContain('href="http://127.0.0.1:3000/v1/report-links/abc?x=1&amp;y=&lt;2&gt;"');
    for (const body of [m.html, m.text]) {
      expect(body).toContain('12,345 rows');
      expect(body).toContain('2.4 MiB');
      expect(body).toContain('Europe/Berlin');
      expect(body).toContain('2026-01-05');
    }
    expect(m.text).toContain(input.link);
  });
  it('formats sizes and escapes quotes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(escapeHtml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;');
  });
});

describe('classifySendError', () => {
  const aws = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  it('retries throttling and 5xx, rejects other 4xx, and treats timeouts as unknown', () => {
    expect(classifySendError(aws('TooManyRequestsException', 429)).kind).toBe('retry');
    expect(classifySendError(aws('InternalFailure', 500)).kind).toBe('retry');
    expect(classifySendError(aws('MessageRejected', 400)).kind).toBe('rejected');
    expect(classifySendError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).kind).toBe('retry');
    expect(classifySendError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).kind).toBe('unknown');
    expect(classifySendError(Object.assign(new Error('t'), { name: 'TimeoutError' })).kind).toBe('unknown');
  });
});
