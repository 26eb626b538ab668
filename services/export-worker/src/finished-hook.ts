// The onFinished hook, run once an export's outcome is recorded: it only hurries a scheduled report on to delivery
// (the reconciler drives runs it missed), so it never fails the export, and a worker shutting down waits for it
// only briefly.
import type { Logger } from '@ax/runtime';

/** The finished export: its id, and its scheduled run (null for an export asked for through the API). */
export type FinishedExport = { id: string; run_id: string | null };

export type FinishedHook = (exp: FinishedExport, outcome: 'succeeded' | 'failed') => Promise<void>;

/** How long a shutting-down worker still waits for the hook: with Redis down, the hook waits for Redis to return. */
export const FINISHED_HOOK_GRACE_MS = 1000;

/**
 * Runs the hook; its failure is logged. Once `stopping` aborts (the worker began to shut down), waits for it at most
 * `graceMs` more; once `cancel` aborts (the job must stop now), not at all.
 */
export async function notifyFinished(
  hook: FinishedHook,
  exp: FinishedExport,
  outcome: 'succeeded' | 'failed',
  opts: { stopping: AbortSignal; cancel: AbortSignal; logger: Pick<Logger, 'warn'>; graceMs?: number },
): Promise<void> {
  const { stopping, cancel, logger, graceMs = FINISHED_HOOK_GRACE_MS } = opts;
  const done = hook(exp, outcome).then(
    () => true,
    (err: Error) => (
      logger.warn({ err: err.message }, 'finished hook failed; the reconciler will pick the report up'),
      true
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  let giveUp = (): void => {};
  const startGrace = () => void (timer ??= setTimeout(giveUp, graceMs));
  const gaveUp = new Promise<false>((resolve) => (giveUp = () => resolve(false)));
  if (cancel.aborted) giveUp();
  else if (stopping.aborted) startGrace();
  stopping.addEventListener('abort', startGrace, { once: true });
  cancel.addEventListener('abort', giveUp, { once: true });
  try {
    if (!(await Promise.race([done, gaveUp])))
      logger.warn('shutting down before the finished hook returned; the reconciler will pick the report up');
  } finally {
    clearTimeout(timer);
    stopping.removeEventListener('abort', startGrace);
    cancel.removeEventListener('abort', giveUp);
  }
}
