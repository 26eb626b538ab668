// The onFinished hook, run once an export's outcome is recorded: it only hurries a scheduled report on to delivery
// (the reconciler drives runs it missed), so it never fails the export, and a shutdown waits for it only briefly.
import type { Logger } from '@ax/runtime';

export type FinishedHook = (exportId: string, outcome: 'succeeded' | 'failed') => Promise<void>;

/** How long a shutting-down worker still waits for the hook: with Redis down, the hook waits for Redis to return. */
export const FINISHED_HOOK_GRACE_MS = 1000;

/** Runs the hook; its failure is logged. Once `signal` aborts (shutdown), waits for it at most `graceMs` more. */
export async function notifyFinished(
  hook: FinishedHook, exportId: string, outcome: 'succeeded' | 'failed',
  { signal, logger, graceMs = FINISHED_HOOK_GRACE_MS }: { signal: AbortSignal; logger: Pick<Logger, 'warn'>; graceMs?: number },
): Promise<void> {
  const done = hook(exportId, outcome).then(
    () => true,
    (err: Error) => (logger.warn({ err: err.message }, 'finished hook failed; the reconciler will pick the report up'), true),
  );
  let timer: NodeJS.Timeout | undefined;
  let startGrace = () => {};
  const grace = new Promise<false>((resolve) => {
    startGrace = () => void (timer = setTimeout(resolve, graceMs, false));
  });
  if (signal.aborted) startGrace();
  else signal.addEventListener('abort', startGrace, { once: true });
  try {
    if (!(await Promise.race([done, grace]))) logger.warn('shutting down before the finished hook returned; the reconciler will pick the report up');
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', startGrace);
  }
}
