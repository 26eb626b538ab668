// Stage 1 of an export: take the row (queued → running) and resolve what it asks for: its dataset, the file it
// becomes and the one key that file has in the bucket, whatever the attempt.
import { claimExport, failExport, type ExportRow, type Sql } from '@ax/db';
import { getDataset, type Dataset } from '@ax/datasets';
import { PermanentError } from '@ax/jobs';
import type { Logger } from '@ax/runtime';
import { exportFile, exportKey } from '@ax/storage';

export type ClaimedExport = {
  row: ExportRow;
  dataset: Dataset;
  file: { name: string; contentType: string };
  key: string;
  logger: Logger;
};

/** Null when the export is no longer queued (cancelled, or finished by an earlier attempt). */
export async function claim(sql: Sql, exportId: string, logger: Logger): Promise<ClaimedExport | null> {
  const row = await claimExport(sql, exportId);
  if (!row) {
    logger.info({ exportId }, 'export is no longer queued; nothing to do');
    return null;
  }
  const dataset = getDataset(row.dataset);
  if (!dataset) {
    await failExport(sql, row.id, 'unknown_dataset', `Dataset ${row.dataset} does not exist.`);
    throw new PermanentError('unknown_dataset', `unknown dataset ${row.dataset}`);
  }
  const file = exportFile(row);
  return {
    row,
    dataset,
    file,
    key: exportKey(row.id, file.name),
    logger: logger.child({ exportId: row.id, dataset: row.dataset }),
  };
}
