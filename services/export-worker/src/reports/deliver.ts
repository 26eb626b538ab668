// report.deliver: one e-mail per recipient of a finished run. Each delivery is claimed right before its SES
// call and recorded right after; see @ax/db deliveries.ts for why a lost claim is never resent.
import { randomUUID } from 'node:crypto';
import {
  claimDelivery,
  expireStaleClaims,
  failRun,
  failUnclaimedDeliveries,
  finishRunIfDone,
  getDeliveryContext,
  deliveriesToSend,
  markDeliveryFailed,
  markDeliverySent,
  releaseDelivery,
  suppressUnsubscribed,
  failDisallowedRecipients,
  returnEmailSlot,
  type DeliveryRow,
  type PendingDelivery,
  type DeliverySchedule,
  type ExportRow,
} from '@ax/db';
import type { JobContext, PayloadOf } from '@ax/jobs';
import { classifySendError, renderReportEmail, type MailMessage } from '@ax/mailer';
import { reportLinkUrl, signReportLink, signUnsubscribe, unsubscribeUrl } from '@ax/storage';
import { nowOf, type ReportDeps } from './deps';
import { countFailedRun } from './failure-notice';
import { reportSummary } from './summary';

export const DEFAULT_EMAILS_PER_PUBLISHER_PER_DAY = 2000;

/** Thrown to let BullMQ retry later, with backoff, the deliveries that could not be settled now. */
export class DeliveriesPending extends Error {}

export async function deliverReport(
  payload: PayloadOf<'report.deliver'>,
  deps: ReportDeps,
  ctx: JobContext,
): Promise<void> {
  const { sql } = deps;
  const found = await getDeliveryContext(sql, payload.runId);
  if (!found || found.run.status === 'succeeded' || found.run.status === 'failed') return;
  const { run, export: exp, schedule } = found;
  if (!exp || exp.status === 'failed' || exp.status === 'cancelled') {
    const failed = await failRun(
      sql,
      run.id,
      `export_failed: ${exp?.error_code ?? 'missing'}: ${exp?.error_message ?? 'the export is gone'}`,
    );
    ctx.logger.warn({ runId: run.id, exportId: run.export_id }, 'report export failed; nothing to send');
    if (failed) await countFailedRun(deps, run.schedule_id, ctx.logger);
    return;
  }
  if (exp.status !== 'succeeded') throw new DeliveriesPending(`export ${exp.id} is still ${exp.status}`);

  if (!schedule || schedule.deleted_at)
    await failUnclaimedDeliveries(
      sql,
      run.id,
      'schedule_deleted: the schedule was deleted before this e-mail went out',
    );
  else if (schedule.paused_reason === 'creator_key_revoked')
    await failUnclaimedDeliveries(
      sql,
      run.id,
      'creator_key_revoked: the API key that created this schedule was revoked before this e-mail went out',
    );
  const pending = await settledPending(deps, run.id, ctx);
  let unsettled = 0;
  const mail = schedule && pending.length ? await composer(deps, schedule, exp) : null;
  await eachLimited(pending, deps.sendConcurrency ?? 5, async (d) => {
    if (!mail || mustSettle(d) || !(await sendOne(deps, d, mail(d), schedule!.owner_publisher_id, ctx))) unsettled++;
  });

  const status = await finishRunIfDone(sql, run.id);
  if (status) {
    ctx.logger.info({ runId: run.id, status }, 'report run finished');
    if (status === 'failed') await countFailedRun(deps, run.schedule_id, ctx.logger);
    return;
  }
  throw new DeliveriesPending(`${unsettled || 'some'} deliveries of run ${run.id} are not settled yet`);
}

const mustSettle = (d: PendingDelivery) => d.stale || d.disallowed || d.unsubscribed;

/**
 * The run's pending deliveries (the run is now running) once those that must not be sent are settled: claims whose sender died fail
 * (outcome unknown), addresses outside the allow-list fail, unsubscribed ones are suppressed. Usually there is
 * nothing to settle, and the list is read once.
 */
async function settledPending(deps: ReportDeps, runId: string, ctx: JobContext): Promise<PendingDelivery[]> {
  const { sql } = deps;
  const rules = { claimTimeoutMs: deps.claimTimeoutMs ?? 5 * 60_000, allowedDomains: deps.recipientDomains ?? [] };
  const pending = await deliveriesToSend(sql, runId, rules);
  if (!pending.some(mustSettle)) return pending;
  const expired = await expireStaleClaims(sql, runId, rules.claimTimeoutMs);
  if (expired) ctx.logger.warn({ runId, expired }, 'deliveries whose sender died mid-call marked failed, not resent');
  const disallowed = await failDisallowedRecipients(sql, runId, rules.allowedDomains);
  if (disallowed)
    ctx.logger.warn({ runId, disallowed }, 'deliveries outside the recipient domain allow-list failed unsent');
  const suppressed = await suppressUnsubscribed(sql, runId);
  if (suppressed) ctx.logger.info({ runId, suppressed }, 'deliveries to unsubscribed addresses suppressed');
  return deliveriesToSend(sql, runId, rules);
}

/** True when the delivery reached a final state here; false when it must be tried (or expired) later. */
async function sendOne(
  deps: ReportDeps,
  d: DeliveryRow,
  msg: MailMessage,
  publisherId: string | null,
  ctx: JobContext,
): Promise<boolean> {
  if (d.claimed_at) return false; // another sender is mid-call, or died there: the claim expires later
  const token = randomUUID();
  // The publisher's daily e-mail cap (admins' schedules have none), counted in PostgreSQL across all workers: a slot
  // is taken with the claim.
  const cap = deps.emailsPerPublisherPerDay ?? DEFAULT_EMAILS_PER_PUBLISHER_PER_DAY;
  const claim = await claimDelivery(deps.sql, d.id, token, publisherId === null ? null : { publisherId, limit: cap });
  if (!claim) return false;
  if (!claim.slot) {
    await markDeliveryFailed(
      deps.sql,
      d.id,
      token,
      `rate_limited: the publisher's ${cap} report e-mails of this UTC day were sent; nothing was sent`,
    );
    deps.metrics?.emailsTotal.inc({ outcome: 'rate_limited' });
    ctx.logger.warn(
      { runId: d.run_id, deliveryId: d.id, publisherId, cap },
      'daily e-mail cap reached; delivery failed unsent',
    );
    return true;
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.sendMail(msg));
  } catch (err) {
    const failure = classifySendError(err);
    ctx.logger.warn(
      { runId: d.run_id, deliveryId: d.id, kind: failure.kind, reason: failure.reason },
      'report e-mail not sent',
    );
    if (failure.kind === 'rejected') {
      await markDeliveryFailed(deps.sql, d.id, token, failure.reason);
      deps.metrics?.emailsTotal.inc({ outcome: 'rejected' });
      return true;
    }
    // 'deferred': released for a later attempt; 'unknown': see below.
    deps.metrics?.emailsTotal.inc({ outcome: failure.kind === 'retry' ? 'deferred' : 'unknown' });
    if (failure.kind === 'retry') {
      await releaseDelivery(deps.sql, d.id, token, failure.reason);
      if (publisherId !== null) await returnEmailSlot(deps.sql, publisherId);
    }
    // 'unknown': SES may have accepted it. The claim stays and expires into "outcome unknown": never twice.
    return false;
  }
  // SES has the message: record it, riding out a short database blip rather than leaving the claim to expire.
  for (let attempt = 1; ; attempt++) {
    try {
      await markDeliverySent(deps.sql, d.id, token, messageId);
      deps.metrics?.emailsTotal.inc({ outcome: 'sent' });
      return true;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/** The run's e-mail, per delivery: the figures are read once, the links and unsubscribe tokens are per recipient. */
async function composer(deps: ReportDeps, schedule: DeliverySchedule, exp: ExportRow) {
  const summary = await reportSummary(deps.analyticsSql ?? deps.sql, schedule, exp, {
    now: nowOf(deps),
    retentionMonths: deps.retentionMonths,
  });
  const lastDay = new Date(Date.parse(`${exp.to_input}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
  return (d: Pick<DeliveryRow, 'id' | 'recipient'>) => {
    const to = d.recipient;
    // Each recipient's link is their own token, valid LINK_TTL_DAYS from this send (the API caps it there too).
    const expiresAt = new Date(nowOf(deps).getTime() + deps.links.ttlDays * 86400_000);
    const link = reportLinkUrl(deps.links.publicBaseUrl, signReportLink(deps.links.secret, d.id, expiresAt));
    return renderReportEmail({
      to,
      scheduleName: schedule.name,
      frequency: schedule.frequency,
      dataset: exp.dataset,
      format: exp.format,
      periodStart: exp.from_input,
      periodEnd: exp.to_input,
      periodLastDay: lastDay,
      timezone: exp.timezone,
      rowCount: exp.row_count ?? 0,
      rowUnit: exp.format === 'json' ? 'periods' : 'rows',
      bytes: exp.bytes ?? 0,
      fileName: exp.file_name ?? `${exp.dataset}.${exp.format}`,
      link,
      linkExpiresAt: expiresAt,
      unsubscribeUrl: unsubscribeUrl(deps.links.publicBaseUrl, signUnsubscribe(deps.links.secret, schedule.id, to)),
      summary,
    });
  };
}

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}
