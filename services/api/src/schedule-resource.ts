// The schedule and run objects clients see (CONTRACT §4).
import type { RunView, ScheduleRow } from '@ax/db';
import { nextRunAt } from '@ax/datasets';

/** `unsubscribed`: the addresses that left this schedule (read only; only they can undo it). */
export function scheduleResource(row: ScheduleRow, now = new Date(), unsubscribed: string[] = []) {
  return {
    id: row.id,
    name: row.name,
    dataset: row.dataset,
    format: row.format,
    frequency: row.frequency,
    recipients: row.recipients,
    unsubscribed,
    timezone: row.timezone,
    granularity: row.granularity,
    compression: row.compression,
    csv_bom: row.csv_bom,
    filters: row.filters,
    paused: row.paused,
    paused_reason: row.paused ? (row.paused_reason ?? 'user') : null,
    failure_contacts: row.failure_contacts,
    next_run_at: row.paused ? null : nextRunAt(row.frequency, row.timezone, now).toISOString(),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function runResource(run: RunView) {
  const final = run.status === 'succeeded' || run.status === 'failed';
  const started = run.status === 'running' || run.export_status === 'running' || run.export_status === 'succeeded';
  return {
    id: run.id,
    period_start: run.period_start_date,
    period_end: run.period_end_date,
    status: final ? run.status : started ? 'running' : 'queued',
    resend: run.sequence > 0,
    export_id: run.export_id,
    created_at: run.created_at.toISOString(),
    finished_at: run.finished_at?.toISOString() ?? null,
    deliveries: run.deliveries.map((d) => ({
      recipient: d.recipient,
      status: d.status,
      sent_at: d.sent_at?.toISOString() ?? null,
      error: d.error,
    })),
  };
}
