// After REPORT_FAILURES_BEFORE_PAUSE failed runs in a row a schedule pauses ('failing'), and its failure contacts get
// one e-mail. The notice is claimed in PostgreSQL first (one per pause); a send SES surely refused releases the
// claim, and the reconciler sends owed notices on its next round.
import { claimFailureNotice, lastRunError, owedFailureNotices, recordRunFailure, releaseFailureNotice } from '@ax/db';
import { removeReportScheduler } from '@ax/jobs';
import { classifySendError, renderFailureNotice } from '@ax/mailer';
import type { Logger } from '@ax/runtime';
import type { ReportDeps } from './deps';

export const DEFAULT_FAILURES_BEFORE_PAUSE = 3;

/** Counts a failed run; when this failure pauses the schedule, its scheduler goes and the notice is sent. */
export async function countFailedRun(deps: ReportDeps, scheduleId: string, logger: Logger): Promise<void> {
  const paused = await recordRunFailure(
    deps.sql,
    scheduleId,
    deps.failuresBeforePause ?? DEFAULT_FAILURES_BEFORE_PAUSE,
  );
  if (!paused) return;
  logger.warn({ scheduleId, failedRuns: paused.failure_streak }, 'schedule paused after failing runs');
  await removeReportScheduler(deps.queues, scheduleId).catch((err) =>
    logger.warn({ scheduleId, err: (err as Error).message }, 'scheduler not removed; the reconciler will'),
  );
  await sendFailureNotice(deps, scheduleId, logger);
}

export async function sendFailureNotice(deps: ReportDeps, scheduleId: string, logger: Logger): Promise<void> {
  const schedule = await claimFailureNotice(deps.sql, scheduleId);
  if (!schedule) return;
  const lastError = await lastRunError(deps.sql, scheduleId);
  const manageUrl = `${deps.links.publicBaseUrl.replace(/\/+$/, '')}/analytics/export/scheduled-reports`;
  for (const to of schedule.failure_contacts) {
    try {
      await deps.sendMail(
        renderFailureNotice({
          to,
          scheduleName: schedule.name,
          dataset: schedule.dataset,
          frequency: schedule.frequency,
          failedRuns: schedule.failure_streak,
          lastError,
          manageUrl,
        }),
      );
    } catch (err) {
      const failure = classifySendError(err);
      logger.warn({ scheduleId, kind: failure.kind, reason: failure.reason }, 'failure notice not sent');
      // Only when SES surely took nothing, and nobody got it yet, is the whole notice owed again.
      if (failure.kind === 'retry' && to === schedule.failure_contacts[0])
        return releaseFailureNotice(deps.sql, scheduleId);
    }
  }
}

/** For the reconciler: notices whose first send was refused. */
export async function sendOwedFailureNotices(deps: ReportDeps, logger: Logger): Promise<void> {
  for (const id of await owedFailureNotices(deps.sql)) await sendFailureNotice(deps, id, logger);
}
