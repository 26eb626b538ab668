// Queue plumbing for the export worker: maps every job of the exports queue to its handler.
import { createWorker, type Handlers, type WorkerOptions } from '@ax/jobs';
import { runExport, type ExportDeps } from './run-export';

export function createExportWorker(deps: ExportDeps, opts: WorkerOptions) {
  const handlers: Handlers<'exports'> = {
    'export.run': (payload, ctx) => runExport(payload, deps, ctx),
  };
  return createWorker('exports', handlers, { ...opts, lockDuration: opts.lockDuration ?? 60_000 });
}
