// One delivery row per (run, recipient). Sending is guarded by a claim taken right before the SES call:
// pending (unclaimed) → claimed → sent | failed, or released back to unclaimed when SES surely took nothing.
// A claim older than the send timeout means its sender died during the call; whether SES accepted the message
// is unknown, and we choose at most once: such a delivery is marked failed ("outcome unknown"), never resent.
import type { Sql } from './client';
import { emailSlotUpsert } from './limits';
import { leftSchedule } from './unsubscribes';

export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'suppressed';

export type DeliveryRow = {
  id: string;
  run_id: string;
  recipient: string;
  status: DeliveryStatus;
  ses_message_id: string | null;
  sent_at: Date | null;
  error: string | null;
  attempts: number;
  claimed_at: Date | null;
  claim_token: string | null;
};

export const OUTCOME_UNKNOWN =
  'delivery_outcome_unknown: the sender stopped while SES was handling this e-mail; it was not sent again to avoid a duplicate';

/** What a delivery is checked against before its send: the claim timeout and RECIPIENT_DOMAIN_ALLOWLIST (empty: any). */
export type SendRules = { claimTimeoutMs: number; allowedDomains: string[] };

/**
 * A pending delivery, flagged with what must be settled before anything is sent: a claim whose sender died
 * (`stale`, see expireStaleClaims), an address outside the allow-list (`disallowed`) or one that left the schedule
 * (`unsubscribed`).
 */
export type PendingDelivery = DeliveryRow & { stale: boolean; disallowed: boolean; unsubscribed: boolean };

/**
 * Marks the run running (once) and returns its pending deliveries, by recipient, with their flags: usually all
 * false, and nothing is to settle before sending.
 */
export async function deliveriesToSend(sql: Sql, runId: string, rules: SendRules): Promise<PendingDelivery[]> {
  return sql<PendingDelivery[]>`
    with running as (update app.schedule_runs set status = 'running' where id = ${runId} and status = 'queued')
    select d.*, ${staleClaim(sql, rules.claimTimeoutMs)} as stale,
      (d.claimed_at is null and ${outsideDomains(sql, rules.allowedDomains)}) as disallowed,
      (d.claimed_at is null and ${leftSchedule(sql)}) as unsubscribed
    from app.deliveries d
    where d.run_id = ${runId} and d.status = 'pending'
    order by d.recipient`;
}

const staleClaim = (sql: Sql, olderThanMs: number) =>
  sql`(d.claimed_at is not null and d.claimed_at <= now() - ${olderThanMs / 1000} * interval '1 second')`;
const outsideDomains = (sql: Sql, allowedDomains: string[]) =>
  allowedDomains.length === 0
    ? sql`false`
    : sql`lower(substring(d.recipient from '@([^@]*)$')) <> all(${allowedDomains.map((a) => a.toLowerCase())}::text[])`;

/**
 * Takes the send claim and, for a publisher's schedule, one of the publisher's e-mails of today (`cap`), in one
 * statement. null when another sender holds the claim or the delivery is final: then no slot is taken either.
 * `slot: false` when the day's cap is reached: the claim is held, and the caller fails the delivery with its token.
 */
export async function claimDelivery(
  sql: Sql,
  id: string,
  token: string,
  cap: { publisherId: string; limit: number } | null,
): Promise<{ slot: boolean } | null> {
  const [row] = await sql<{ claimed: boolean; slot: boolean }[]>`
    with claimed as (
      update app.deliveries set claimed_at = now(), claim_token = ${token}, attempts = attempts + 1
      where id = ${id} and status = 'pending' and claimed_at is null
      returning id
    )${cap ? sql`, slot as (${emailSlotUpsert(sql, cap.publisherId, cap.limit, sql`from claimed`)})` : sql``}
    select exists (select from claimed) as claimed, ${cap ? sql`exists (select from slot)` : sql`true`} as slot`;
  return row?.claimed ? { slot: row.slot } : null;
}

export async function markDeliverySent(sql: Sql, id: string, token: string, messageId: string): Promise<boolean> {
  const rows = await sql`
    update app.deliveries set status = 'sent', ses_message_id = ${messageId}, sent_at = now(), error = null
    where id = ${id} and claim_token = ${token} and status = 'pending'
    returning id`;
  return rows.length === 1;
}

export async function markDeliveryFailed(sql: Sql, id: string, token: string, error: string): Promise<boolean> {
  const rows = await sql`
    update app.deliveries set status = 'failed', error = ${error.slice(0, 1000)}
    where id = ${id} and claim_token = ${token} and status = 'pending'
    returning id`;
  return rows.length === 1;
}

/** SES refused before accepting anything (throttling, 5xx, no connection): the next attempt may send. */
export async function releaseDelivery(sql: Sql, id: string, token: string, error: string): Promise<void> {
  await sql`
    update app.deliveries set claimed_at = null, claim_token = null, error = ${error.slice(0, 1000)}
    where id = ${id} and claim_token = ${token} and status = 'pending'`;
}

/** Claims whose sender must have died mid-call (older than `olderThanMs`) become failed with OUTCOME_UNKNOWN. */
export async function expireStaleClaims(sql: Sql, runId: string, olderThanMs: number): Promise<number> {
  const rows = await sql`
    update app.deliveries d set status = 'failed', error = ${OUTCOME_UNKNOWN}
    where d.run_id = ${runId} and d.status = 'pending' and ${staleClaim(sql, olderThanMs)}
    returning d.id`;
  return rows.length;
}

/** Unclaimed deliveries that will not be sent (the schedule was deleted meanwhile). */
export async function failUnclaimedDeliveries(sql: Sql, runId: string, reason: string): Promise<void> {
  await sql`
    update app.deliveries set status = 'failed', error = ${reason}
    where run_id = ${runId} and status = 'pending' and claimed_at is null`;
}

/** What a download link needs of its delivery: when it was sent, and the run's export and schedule. */
export type DeliveryLink = {
  id: string;
  status: DeliveryStatus;
  /** When the e-mail went out (or, for an outcome unknown, when the send began); null when it never did. */
  sent_at: Date | null;
  export_id: string | null;
  schedule_id: string;
};

export async function getDeliveryLink(sql: Sql, id: string): Promise<DeliveryLink | null> {
  const [row] = await sql<DeliveryLink[]>`
    select d.id, d.status, coalesce(d.sent_at, d.claimed_at) as sent_at, r.export_id, r.schedule_id
    from app.deliveries d join app.schedule_runs r on r.id = d.run_id
    where d.id = ${id}`;
  return row ?? null;
}

/** RECIPIENT_DOMAIN_ALLOWLIST checked again at send time: unclaimed deliveries outside it fail, unsent. */
export async function failDisallowedRecipients(sql: Sql, runId: string, allowedDomains: string[]): Promise<number> {
  if (allowedDomains.length === 0) return 0;
  const rows = await sql`
    update app.deliveries d set status = 'failed',
      error = 'recipient_not_allowed: the address is outside RECIPIENT_DOMAIN_ALLOWLIST; nothing was sent'
    where d.run_id = ${runId} and d.status = 'pending' and d.claimed_at is null
      and ${outsideDomains(sql, allowedDomains)}
    returning d.id`;
  return rows.length;
}
