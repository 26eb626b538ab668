// The export object clients see (CONTRACT §4), with a freshly signed download URL when it succeeded.
import type { ExportRow } from '@ax/db';
import { presignDownload, type Storage } from '@ax/storage';

export async function exportResource(row: ExportRow, storage: Storage) {
  const file = {
    row_count: row.row_count,
    bytes: row.bytes,
    sha256: row.sha256,
    content_type: row.content_type,
    file_name: row.file_name,
  };
  let result = null;
  if (row.status === 'succeeded' && row.s3_key && row.file_name) {
    const link = await presignDownload(storage, row.s3_key, row.file_name);
    result = { ...file, download_url: link.url, download_url_expires_at: link.expiresAt.toISOString() };
  } else if (row.status === 'expired') {
    // The file was deleted EXPORT_FILE_TTL_DAYS after it was written (§6.5): what it held is still known, no link.
    result = { ...file, expired_at: row.expired_at?.toISOString() ?? null };
  }
  return {
    id: row.id,
    dataset: row.dataset,
    format: row.format,
    compression: row.compression,
    csv_bom: row.csv_bom,
    from: row.from_input,
    to: row.to_input,
    timezone: row.timezone,
    granularity: row.granularity,
    filters: row.filters,
    status: row.status,
    created_at: row.created_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    finished_at: row.finished_at?.toISOString() ?? null,
    progress: { rows_written: row.rows_written },
    result,
    error: row.status === 'failed' ? { code: row.error_code, message: row.error_message } : null,
    schedule_id: row.schedule_id,
  };
}
