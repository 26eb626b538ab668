// Shutdown registry: closes what was registered phase by phase, in the order of SHUTDOWN_PHASES, within a deadline.
// A process stopped by a signal exits with the conventional status once everything closed (128 + the signal's
// number: 143 for SIGTERM, 130 for SIGINT); a closer that failed or a passed deadline exits 1.
import { constants } from 'node:os';
import type { Logger } from './logger';

/**
 * The order a process closes in. Closers of one phase run at once; a phase starts when the one before it ended.
 * - intake: stop taking new work (HTTP listeners, workers fetching, timers, the ops server);
 * - work: wait for, or abort and hand back, the work in progress;
 * - producers: queues that write to Redis on shared connections;
 * - connections: Redis and PostgreSQL.
 */
export const SHUTDOWN_PHASES = ['intake', 'work', 'producers', 'connections'] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

type Closer = { phase: ShutdownPhase; name: string; close: () => Promise<unknown> };

export type Shutdown = {
  add(phase: ShutdownPhase, name: string, close: () => Promise<unknown>): void;
  run(reason: string, signal?: NodeJS.Signals): Promise<void>;
  listen(): void;
};

/** Exiting (rather than raising the signal again) runs the exit handlers, which write out the last log lines. */
export const signalExitCode = (signal: NodeJS.Signals): number => 128 + constants.signals[signal];

export function createShutdown(
  logger: Logger,
  deadlineMs: number,
  exit: (code: number) => void = (code) => process.exit(code),
): Shutdown {
  const closers: Closer[] = [];
  let running: Promise<void> | undefined;

  const closePhase = async (phase: ShutdownPhase): Promise<boolean> => {
    const results = await Promise.all(
      closers
        .filter((c) => c.phase === phase)
        .map(async (closer) => {
          const started = Date.now();
          try {
            await closer.close();
            logger.info({ phase, closer: closer.name, ms: Date.now() - started }, 'closed');
            return true;
          } catch (err) {
            logger.error({ err, phase, closer: closer.name }, 'close failed');
            return false;
          }
        }),
    );
    return results.every(Boolean);
  };

  const run = (reason: string, signal?: NodeJS.Signals): Promise<void> => {
    if (running) return running;
    logger.info({ reason, deadlineMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed, exiting');
      exit(1);
    }, deadlineMs);
    timer.unref();
    running = (async () => {
      let ok = true;
      for (const phase of SHUTDOWN_PHASES) ok = (await closePhase(phase)) && ok;
      clearTimeout(timer);
      logger.info('shutdown complete');
      exit(!ok ? 1 : signal ? signalExitCode(signal) : 0);
    })();
    return running;
  };

  return {
    add: (phase, name, close) => void closers.push({ phase, name, close }),
    run,
    listen() {
      process.once('SIGTERM', () => void run('SIGTERM', 'SIGTERM'));
      process.once('SIGINT', () => void run('SIGINT', 'SIGINT'));
    },
  };
}
