// The reports queue's worker (trigger + deliver handlers) and the reconciler loop beside it.
import { createWorker, type Handlers, type WorkerOptions } from '@ax/jobs';
import type { FinishedExport } from '../finished-hook';
import { deliverReport } from './deliver';
import { ensureDeliverJob, type ReportDeps } from './deps';
import { reconcileReports, type ReconcileOptions } from './reconcile';
import { triggerReport } from './trigger';

export function createReportsWorker(deps: ReportDeps, opts: WorkerOptions) {
  const handlers: Handlers<'reports'> = {
    'report.trigger': (payload, ctx) => triggerReport(payload, deps, ctx),
    'report.deliver': (payload, ctx) => deliverReport(payload, deps, ctx),
  };
  return createWorker('reports', handlers, { ...opts, lockDuration: opts.lockDuration ?? 60_000 });
}

/**
 * For the export worker's onFinished hook: a scheduled export is done, so its run moves on to delivery. The delivery
 * job reads the run and its export, and ends at once for a run already finished; other exports need nothing.
 */
export const reportExportFinished = (deps: Pick<ReportDeps, 'queues'>) => async (exp: FinishedExport) => {
  if (exp.run_id) await ensureDeliverJob(deps.queues, exp.run_id);
};

/** Reconciles now and then every `intervalMs` (0 = only now). Failures are logged and retried next round. */
export function startReconciler(deps: ReportDeps, opts: ReconcileOptions & { intervalMs: number }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const round = () => {
    running = reconcileReports(deps, opts).catch((err) =>
      deps.logger.error({ err: (err as Error).message }, 'reconcile failed'),
    );
    return running;
  };
  const schedule = () => {
    if (stopped || opts.intervalMs <= 0) return;
    timer = setTimeout(() => void round().then(schedule), opts.intervalMs);
    timer.unref();
  };
  let firstRoundDone = false;
  void round().then(() => {
    firstRoundDone = true;
    schedule();
  });
  return {
    /** The start-up round has finished (a failed one too: it is retried next round): part of the worker's readiness. */
    get firstRoundDone() {
      return firstRoundDone;
    },
    /** Waits for a round in progress, at most `waitMs` (a round stuck on an unreachable Redis is abandoned). */
    async stop(waitMs = 2000) {
      stopped = true;
      clearTimeout(timer);
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((r) => (timeout = setTimeout(r, waitMs)))]);
      clearTimeout(timeout);
    },
  };
}
