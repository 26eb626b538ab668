import { reportLinkUrl, signReportLink, verifyReportLink } from './report-link';

const secret = 'a-test-secret-of-enough-length';
const id = '0b7c6a2e-6a43-4a8e-9c59-2f5d1d2f1a10';
const now = new Date('2026-01-12T06:00:00Z');
const in14d = new Date(now.getTime() + 14 * 86400_000);

describe('report links', () => {
  it('verifies its own token until it expires', () => {
    const token = signReportLink(secret, id, in14d);
    expect(verifyReportLink(secret, token, now)).toEqual({ ok: true, deliveryId: id, expiresAt: in14d });
    expect(verifyReportLink(secret, token, in14d)).toEqual({ ok: false, reason: 'expired' });
  });
  it('refuses tampered ids, expiries, signatures and other secrets', () => {
    const token = signReportLink(secret, id, in14d);
    const [, exp, sig] = token.split('.');
    const otherId = '1b7c6a2e-6a43-4a8e-9c59-2f5d1d2f1a10';
    expect(verifyReportLink(secret, `${otherId}.${exp}.${sig}`, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyReportLink(secret, `${id}.${Number(exp) + 86400}.${sig}`, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const flipped = sig!.slice(0, -2) + (sig!.slice(-2) === 'AA' ? 'AB' : 'AA');
    expect(verifyReportLink(secret, `${id}.${exp}.${flipped}`, now)).toEqual({ ok: false, reason: 'bad_signature' });
    for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') {
      if (c === sig!.slice(-1)) continue;
      expect(verifyReportLink(secret, `${id}.${exp}.${sig!.slice(0, -1)}${c}`, now).ok).toBe(false);
    }
    expect(verifyReportLink('another-secret-of-enough-length', token, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    for (const bad of [
      '',
      'x',
      `${id}.${exp}`,
      `${id}.${exp}.${sig}.x`,
      `not-a-uuid.${exp}.${sig}`,
      `${id}.soon.${sig}`,
    ])
      expect(verifyReportLink(secret, bad, now)).toEqual({ ok: false, reason: 'malformed' });
  });
  it('builds the public URL', () => {
    expect(reportLinkUrl('http://127.0.0.1:3000/', 'tok')).toBe('http://127.0.0.1:3000/v1/report-links/tok');
  });
});
