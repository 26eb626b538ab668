// Runs one export: claim → source (csv | json) → gzip? → digest → upload → record. Each stage is a module of
// export/; the ExportRun holds what the stages share: a cancel, a shutdown, whether all is encoded, the rows sent.
import { withExportSource, type SourceDeps } from '@ax/datasets';
import type { JobContext } from '@ax/jobs';
import { claim } from './export/claim';
import { encode } from './export/encode';
import { ExportRun } from './export/export-run';
import { recordFailure, recordSuccess, type RecordDeps } from './export/record';
import { upload } from './export/upload';

export type ExportDeps = SourceDeps &
  RecordDeps & {
    /** How often a run writes its progress, which is also how soon it sees a cancellation. */
    progressIntervalMs?: number;
  };

export async function runExport(payload: { exportId: string }, deps: ExportDeps, ctx: JobContext): Promise<void> {
  const claimed = await claim(deps.sql, payload.exportId, ctx.logger);
  if (!claimed) return;
  const run = new ExportRun(deps.sql, claimed.row.id, ctx, deps.progressIntervalMs);
  try {
    claimed.logger.info({ attempt: ctx.attempt }, 'export started');
    const encoded = await withExportSource(deps, claimed.dataset, claimed.row, (source) => {
      if (source.slices > 1) claimed.logger.info({ slices: source.slices }, 'copying in time slices');
      run.countFrom(source);
      return upload(deps.storage, claimed, run.uploadSignal, (body) =>
        encode(source.readable, claimed.row.compression, body, run),
      );
    });
    // Encoding and upload both finished: the file is complete, so even a shutdown signal now lets it be recorded.
    run.throwIfCancelled();
    await recordSuccess(deps, claimed, run, encoded);
  } catch (err) {
    await recordFailure(deps, claimed, run, err);
  } finally {
    run.close();
  }
}
