// report.trigger: a schedule's job scheduler fired. The period comes from the slot the job was scheduled for,
// never from the clock at pick-up, so a late or retried trigger still covers the right period.
import { getScheduleAnyState } from '@ax/db';
import { periodCoveredBy } from '@ax/datasets';
import { removeReportScheduler, type JobContext, type PayloadOf } from '@ax/jobs';
import { startRun, type ReportDeps } from './deps';

export async function triggerReport(
  payload: PayloadOf<'report.trigger'>,
  deps: ReportDeps,
  ctx: JobContext,
): Promise<void> {
  const schedule = await getScheduleAnyState(deps.sql, payload.scheduleId);
  if (!schedule || schedule.deleted_at) {
    await removeReportScheduler(deps.queues, payload.scheduleId);
    return ctx.logger.info({ scheduleId: payload.scheduleId }, 'schedule is gone; scheduler removed');
  }
  if (schedule.paused) return ctx.logger.info({ scheduleId: schedule.id }, 'schedule is paused; trigger ignored');
  const period = periodCoveredBy(schedule.frequency, schedule.timezone, ctx.scheduledAt);
  // A period due before the schedule existed (or was resumed, or changed cadence) is not owed.
  if (period.runAt < schedule.active_from)
    return ctx.logger.info(
      { scheduleId: schedule.id, period: period.startDate },
      'period due before the schedule was active; skipped',
    );
  const { run, created } = await startRun(deps, schedule, period);
  ctx.logger.info(
    { scheduleId: schedule.id, period: period.startDate, runId: run.id, created, scheduledAt: ctx.scheduledAt },
    'report triggered',
  );
}
