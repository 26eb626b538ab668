// Export objects: deterministic keys, streaming multipart upload, presigned downloads, removal.
import { AbortMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import type { Storage } from './s3';

/** One key per export, whatever the attempt: a retry overwrites, never duplicates. */
export const exportKey = (exportId: string, fileName: string) => `exports/${exportId}/${fileName}`;

const PART_SIZE = 5 * 1024 * 1024;

/**
 * Streams `body` into a multipart upload. Nothing is visible at `key` until the upload completes.
 * lib-storage destroys the stream on failure; the real cause comes from `done()`.
 */
export async function uploadStream(
  storage: Storage,
  key: string,
  body: Readable,
  meta: { contentType: string; contentEncoding?: string; fileName: string },
  signal?: AbortSignal,
): Promise<void> {
  const upload = new Upload({
    client: storage.client,
    params: {
      Bucket: storage.bucket,
      Key: key,
      Body: body,
      ContentType: meta.contentType,
      ContentDisposition: `attachment; filename="${meta.fileName}"`,
    },
    partSize: PART_SIZE,
    queueSize: 2,
    // We abort the multipart upload ourselves: when lib-storage does it, a failing AbortMultipartUpload
    // (an emulator without it, or the store still down) replaces the error that matters.
    leavePartsOnError: true,
  });
  const onAbort = () => void upload.abort().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await upload.done();
  } catch (err) {
    if (upload.uploadId) {
      const abort = new AbortMultipartUploadCommand({ Bucket: storage.bucket, Key: key, UploadId: upload.uploadId });
      // Best effort, in the background and bounded: a store that is down must not hold up the failure.
      // A bucket lifecycle rule (AbortIncompleteMultipartUpload) is the backstop.
      void storage.client.send(abort, { abortSignal: AbortSignal.timeout(5000) }).catch(() => {});
    }
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

export async function presignDownload(storage: Storage, key: string, fileName: string, ttlSeconds = storage.presignTtlSeconds) {
  const url = await getSignedUrl(
    storage.client,
    new GetObjectCommand({
      Bucket: storage.bucket,
      Key: key,
      ResponseContentDisposition: `attachment; filename="${fileName}"`,
    }),
    { expiresIn: ttlSeconds },
  );
  return { url, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
}

export async function deleteObject(storage: Storage, key: string): Promise<void> {
  await storage.client.send(new DeleteObjectCommand({ Bucket: storage.bucket, Key: key }));
}

export async function storageReachable(storage: Storage): Promise<boolean> {
  try {
    await storage.client.send(new HeadBucketCommand({ Bucket: storage.bucket }), { abortSignal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}
