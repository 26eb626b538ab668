import { classify, gaveUpMessage } from './failures';

// Errors shaped as the AWS SDK v3 and the drivers throw them (seen against a stopped s3rver and a killed backend).
const sdkError = (name: string, extra: object) => Object.assign(new Error(`${name} happened`), { name, ...extra });

describe('classify', () => {
  it('treats a file store that gave no answer as unavailable, to be retried', () => {
    const refused = sdkError('Error', { code: 'ECONNREFUSED', $metadata: { attempts: 4, totalRetryDelay: 141 } });
    expect(classify(refused)).toMatchObject({ code: 'storage_unavailable', transient: true });
    const reset = sdkError('Error', { code: 'ECONNRESET', $metadata: { attempts: 1 } });
    expect(classify(reset)).toMatchObject({ code: 'storage_unavailable', transient: true });
  });
  it('retries 5xx and throttling answers, but not refusals', () => {
    expect(classify(sdkError('InternalError', { $metadata: { httpStatusCode: 500 } }))).toMatchObject({
      code: 'storage_unavailable',
      transient: true,
    });
    expect(classify(sdkError('SlowDown', { $metadata: { httpStatusCode: 503 } }))).toMatchObject({ transient: true });
    expect(classify(sdkError('AccessDenied', { $metadata: { httpStatusCode: 403 } }))).toMatchObject({
      code: 'storage_rejected',
      transient: false,
    });
  });
  it('sorts database errors by SQLSTATE class', () => {
    expect(classify(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toMatchObject({
      code: 'database_unavailable',
      transient: true,
    });
    expect(classify(Object.assign(new Error('column does not exist'), { code: '42703' }))).toMatchObject({
      code: 'query_failed',
      transient: false,
    });
  });
  it('says when it gave up, without promising another retry', () => {
    const f = classify(sdkError('Error', { code: 'ECONNREFUSED', $metadata: { attempts: 4 } }));
    expect(gaveUpMessage(f, 5)).toBe('The file store is unavailable. Gave up after 5 attempts.');
  });
});

describe('what a caller sees (issue 14: no driver texts in error.message)', () => {
  it('gives stable messages; the driver text stays in the worker log', () => {
    const q = classify(Object.assign(new Error('relation "analytics.secret_table" does not exist'), { code: '42P01' }));
    expect(q).toMatchObject({ code: 'query_failed', transient: false });
    expect(q.message).not.toMatch(/secret_table|relation/);
    expect(q.message).toMatch(/42P01/);
    const i = classify(new Error("ENOSPC: no space left on device, write '/var/tmp/ax-spool-123'"));
    expect(i.code).toBe('internal_error');
    expect(i.message).not.toMatch(/ENOSPC|spool|\//);
  });
  it('a statement_timeout is its own failure, not retried', () => {
    const t = classify(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }));
    expect(t).toMatchObject({ code: 'query_timeout', transient: false });
  });
});
