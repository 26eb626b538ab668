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
    expect(classify(sdkError('InternalError', { $metadata: { httpStatusCode: 500 } }))).toMatchObject({ code: 'storage_unavailable', transient: true });
    expect(classify(sdkError('SlowDown', { $metadata: { httpStatusCode: 503 } }))).toMatchObject({ transient: true });
    expect(classify(sdkError('AccessDenied', { $metadata: { httpStatusCode: 403 } }))).toMatchObject({ code: 'storage_rejected', transient: false });
  });
  it('sorts database errors by SQLSTATE class', () => {
    expect(classify(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toMatchObject({ code: 'database_unavailable', transient: true });
    expect(classify(Object.assign(new Error('column does not exist'), { code: '42703' }))).toMatchObject({ code: 'query_failed', transient: false });
  });
  it('says when it gave up, without promising another retry', () => {
    const f = classify(sdkError('Error', { code: 'ECONNREFUSED', $metadata: { attempts: 4 } }));
    expect(gaveUpMessage(f, 5)).toBe('The file store is unavailable. Gave up after 5 attempts.');
  });
});
