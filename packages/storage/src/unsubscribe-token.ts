// Unsubscribe tokens (CONTRACT §6.4): HMAC-SHA256 over (schedule, recipient). They do not expire: a recipient may
// leave a schedule whenever its mail arrives, however old the e-mail they click in.
import { createHmac, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const mac = (secret: string, scheduleId: string, recipient: string) =>
  createHmac('sha256', secret).update(`unsubscribe:v1:${scheduleId}:${recipient}`).digest();

export function signUnsubscribe(secret: string, scheduleId: string, recipient: string): string {
  const address = recipient.toLowerCase();
  return `${scheduleId}.${Buffer.from(address, 'utf8').toString('base64url')}.${mac(secret, scheduleId, address).toString('base64url')}`;
}

export type UnsubscribeCheck = { ok: true; scheduleId: string; recipient: string } | { ok: false };

export function verifyUnsubscribe(secret: string, token: string): UnsubscribeCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false };
  const [scheduleId, addressText, sigText] = parts as [string, string, string];
  if (!UUID.test(scheduleId) || !/^[A-Za-z0-9_-]{1,400}$/.test(addressText) || !/^[A-Za-z0-9_-]{43}$/.test(sigText))
    return { ok: false };
  const address = Buffer.from(addressText, 'base64url').toString('utf8');
  // Only the canonical spellings count, so no edited token passes.
  if (Buffer.from(address, 'utf8').toString('base64url') !== addressText || address !== address.toLowerCase())
    return { ok: false };
  const given = Buffer.from(sigText, 'base64url');
  if (given.toString('base64url') !== sigText) return { ok: false };
  const expected = mac(secret, scheduleId, address);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false };
  return { ok: true, scheduleId, recipient: address };
}

export const unsubscribeUrl = (publicBaseUrl: string, token: string) =>
  `${publicBaseUrl.replace(/\/+$/, '')}/v1/unsubscribe/${token}`;
