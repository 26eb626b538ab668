// Stage 5 of an export: a streaming upload to the export's key, fed by `write` as the bytes are encoded.
import { PassThrough, type Writable } from 'node:stream';
import { uploadStream, type Storage } from '@ax/storage';
import type { ClaimedExport } from './claim';

/** Resolves with `write`'s result once both it and the upload are done; the upload's error is the real cause when both fail. */
export async function upload<T>(
  storage: Storage,
  target: Pick<ClaimedExport, 'file' | 'key'>,
  signal: AbortSignal,
  write: (body: Writable) => Promise<T>,
): Promise<T> {
  const body = new PassThrough();
  const uploading = uploadStream(
    storage,
    target.key,
    body,
    { contentType: target.file.contentType, fileName: target.file.name },
    signal,
  );
  const [written, uploaded] = await Promise.allSettled([write(body), uploading]);
  if (uploaded.status === 'rejected') throw uploaded.reason;
  if (written.status === 'rejected') throw written.reason;
  return written.value;
}
