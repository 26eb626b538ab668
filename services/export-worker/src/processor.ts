// Queue plumbing for the export worker: maps every job of the exports queue to its handler.
import type { Redis } from 'ioredis';
import { createWorker, type Handlers } from '@ax/jobs';
import type { Logger, Metrics } from '@ax/runtime';
import { runExport, type ExportDeps } from './run-export';

export function createExportWorker(
  deps: ExportDeps,
  opts: {
    connection: Redis;
    prefix: string;
    logger: Logger;
    metrics?: Metrics;
    concurrency?: number;
    lockDuration?: number;
    stalledInterval?: number;
  },
) {
  const handlers: Handlers<'exports'> = {
    'export.run': (payload, ctx) => runExport(payload, deps, ctx),
  };
  return createWorker('exports', handlers, { ...opts, lockDuration: opts.lockDuration ?? 60_000 });
}
