// Signed links for report e-mails: an HMAC-SHA256 token binding one delivery (one recipient of one run) and an
// expiry. Our API checks it, caps the expiry at LINK_TTL_DAYS from the delivery's send, and redirects to a fresh
// short-lived presigned URL, so links outlive S3's signature limits, differ per recipient and can be revoked.
import { createHmac, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// v2: the id is a delivery's (v1 tokens named an export, shared by every recipient, and no longer verify).
const mac = (secret: string, deliveryId: string, exp: number) =>
  createHmac('sha256', secret).update(`report-link:v2:${deliveryId}:${exp}`).digest();

export function signReportLink(secret: string, deliveryId: string, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${deliveryId}.${exp}.${mac(secret, deliveryId, exp).toString('base64url')}`;
}

export type LinkCheck =
  { ok: true; deliveryId: string; expiresAt: Date } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export function verifyReportLink(secret: string, token: string, now = new Date()): LinkCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [deliveryId, expText, sigText] = parts as [string, string, string];
  if (!UUID.test(deliveryId) || !/^\d{1,12}$/.test(expText) || !/^[A-Za-z0-9_-]{43}$/.test(sigText))
    return { ok: false, reason: 'malformed' };
  const exp = Number(expText);
  const expected = mac(secret, deliveryId, exp);
  const given = Buffer.from(sigText, 'base64url');
  // The 43rd character carries 2 unused bits: only the canonical spelling counts, so every edit is refused.
  if (given.toString('base64url') !== sigText) return { ok: false, reason: 'bad_signature' };
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  if (exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, deliveryId, expiresAt: new Date(exp * 1000) };
}

export const reportLinkUrl = (publicBaseUrl: string, token: string) =>
  `${publicBaseUrl.replace(/\/+$/, '')}/v1/report-links/${token}`;
