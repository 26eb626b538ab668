// Shutdown registry: closes what was registered, last opened first, and exits within a deadline.
import type { Logger } from './logger';

type Closer = { name: string; close: () => Promise<unknown> };

export type Shutdown = {
  add(name: string, close: () => Promise<unknown>): void;
  run(reason: string): Promise<void>;
  listen(): void;
};

export function createShutdown(logger: Logger, deadlineMs: number, exit: (code: number) => void = (code) => process.exit(code)): Shutdown {
  const closers: Closer[] = [];
  let running: Promise<void> | undefined;

  const run = (reason: string): Promise<void> => {
    if (running) return running;
    logger.info({ reason, deadlineMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed, exiting');
      exit(1);
    }, deadlineMs);
    timer.unref();
    running = (async () => {
      let code = 0;
      for (const closer of [...closers].reverse()) {
        const started = Date.now();
        try {
          await closer.close();
          logger.info({ closer: closer.name, ms: Date.now() - started }, 'closed');
        } catch (err) {
          code = 1;
          logger.error({ err, closer: closer.name }, 'close failed');
        }
      }
      clearTimeout(timer);
      logger.info('shutdown complete');
      exit(code);
    })();
    return running;
  };

  return {
    add: (name, close) => void closers.push({ name, close }),
    run,
    listen() {
      process.once('SIGTERM', () => void run('SIGTERM'));
      process.once('SIGINT', () => void run('SIGINT'));
    },
  };
}
