import { signUnsubscribe, unsubscribeUrl, verifyUnsubscribe } from './unsubscribe-token';

const secret = 'a-test-secret-of-enough-length';
const id = '0b7c6a2e-6a43-4a8e-9c59-2f5d1d2f1a10';

describe('unsubscribe tokens', () => {
  it('bind a schedule and a lower-cased address', () => {
    const token = signUnsubscribe(secret, id, 'Ops@Example.com');
    expect(verifyUnsubscribe(secret, token)).toEqual({ ok: true, scheduleId: id, recipient: 'ops@example.com' });
    expect(signUnsubscribe(secret, id, 'ops@example.com')).toBe(token);
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
  });
  it('refuse another address, schedule, secret or signature', () => {
    const [sid, addr, sig] = signUnsubscribe(secret, id, 'a@example.com').split('.') as [string, string, string];
    const other = Buffer.from('b@example.com').toString('base64url');
    expect(verifyUnsubscribe(secret, `${sid}.${other}.${sig}`).ok).toBe(false);
    expect(verifyUnsubscribe(secret, `1b7c6a2e-6a43-4a8e-9c59-2f5d1d2f1a10.${addr}.${sig}`).ok).toBe(false);
    expect(verifyUnsubscribe('another-secret-of-enough-length', `${sid}.${addr}.${sig}`).ok).toBe(false);
    const upper = Buffer.from('A@example.com').toString('base64url');
    expect(verifyUnsubscribe(secret, `${sid}.${upper}.${sig}`).ok).toBe(false);
    for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') {
      if (c === sig.slice(-1)) continue;
      expect(verifyUnsubscribe(secret, `${sid}.${addr}.${sig.slice(0, -1)}${c}`).ok).toBe(false);
    }
    for (const bad of ['', 'x', `${sid}.${addr}`, `${sid}.${addr}.${sig}.x`, `nope.${addr}.${sig}`])
      expect(verifyUnsubscribe(secret, bad).ok).toBe(false);
  });
  it('builds the public URL', () => {
    expect(unsubscribeUrl('http://x.test/', 'tok')).toBe('http://x.test/v1/unsubscribe/tok');
  });
});
