// Export objects: deterministic keys, streaming multipart upload, presigned downloads, removal.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import type { Storage } from './s3';

/** One key per export, whatever the attempt: a retry overwrites, never duplicates. */
export const exportKey = (exportId: string, fileName: string) => `exports/${exportId}/${fileName}`;

/** An export's file name (from its dataset, range and format) and content type. */
export function exportFile(row: {
  dataset: string;
  format: 'csv' | 'json';
  compression: 'none' | 'gzip';
  from_input: string;
  to_input: string;
}) {
  const label = (s: string) => s.replace(/[^0-9A-Za-z-]/g, '');
  const base = `${row.dataset}_${label(row.from_input)}_${label(row.to_input)}.${row.format}`;
  if (row.compression === 'gzip') return { name: `${base}.gz`, contentType: 'application/gzip' };
  return { name: base, contentType: row.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json' };
}

/** S3's smallest part (but the last). Files smaller than one part go up in a single PutObject. */
export const PART_SIZE = 5 * 1024 * 1024;
/**
 * Parts in flight at once. With two, a 5M-row CSV export waited on the S3 emulator's part writes: four took 5.94
 * and 5.48 s against 6.43 and 5.84 s with two (medians of 2 alternating `pnpm bench` pairs), for ~8 MB more peak RSS.
 */
const PARALLEL_PARTS = 4;
/** The first buffer's size: a small file never takes a whole part's memory (300 small exports took 1.5 GB). */
const FIRST_BUFFER = 64 * 1024;

/**
 * Streams `body` into S3 at `key`; nothing is visible there until the whole file is. Memory is fixed: parts are
 * filled in place in PARALLEL_PARTS + 1 buffers that are reused, rather than cut and concatenated anew for each part
 * (lib-storage's Upload did that: on 5M rows it churned ~500 MB of buffers and the garbage collector took ~0.7 s
 * of CPU; README "Upload"). On failure (a request, the body, or `signal`) the requests still in flight are
 * aborted, `body` is destroyed with the cause (so whatever writes into it stops too), the multipart upload is
 * aborted in the background, and the cause is thrown.
 */
export async function uploadStream(
  storage: Storage,
  key: string,
  body: Readable,
  meta: { contentType: string; fileName: string },
  signal?: AbortSignal,
): Promise<void> {
  const object = {
    Bucket: storage.bucket,
    Key: key,
    ContentType: meta.contentType,
    ContentDisposition: `attachment; filename="${meta.fileName}"`,
  };
  // Every request listens to this: a failure anywhere (a part, the body, the caller's signal) stops the others, so
  // a part stuck on a stalled store cannot hold up the failure.
  const stop = new AbortController();
  const options = { abortSignal: stop.signal };
  const spare: Buffer[] = [];
  const parts: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  // Grows from FIRST_BUFFER to PART_SIZE while the file is smaller than one part; part buffers are reused after that.
  let part: Buffer = Buffer.allocUnsafe(FIRST_BUFFER);
  let filled = 0;
  const grow = () => {
    const bigger = Buffer.allocUnsafe(Math.min(PART_SIZE, part.length * 4));
    part.copy(bigger, 0, 0, filled);
    part = bigger;
  };
  let uploadId: string | undefined;
  let nextPart = 1;
  let failure: Error | undefined;
  const fail = (err: unknown) => {
    failure ??= err instanceof Error ? err : new Error(String(err));
    body.destroy(failure);
    stop.abort(failure);
  };
  const onAbort = () => fail(signal!.reason ?? new Error('upload aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });

  // Fails the upload itself when it throws, before `for await` ends the body: writers then see the cause.
  const sendPart = async () => {
    try {
      uploadId ??= (await storage.client.send(new CreateMultipartUploadCommand(object), options)).UploadId;
      while (inFlight.size >= PARALLEL_PARTS) await Promise.race(inFlight);
      if (failure) throw failure;
    } catch (err) {
      fail(err);
      throw err;
    }
    const full = part;
    const PartNumber = nextPart++;
    const request = new UploadPartCommand({
      Bucket: storage.bucket,
      Key: key,
      UploadId: uploadId,
      PartNumber,
      Body: full.subarray(0, filled),
      ContentLength: filled,
    });
    const sending = storage.client
      .send(request, options)
      .then((sent) => {
        parts.push({ PartNumber, ETag: sent.ETag });
        spare.push(full);
      }, fail)
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    part = spare.pop() ?? Buffer.allocUnsafe(PART_SIZE);
    filled = 0;
  };

  try {
    if (signal?.aborted) throw signal.reason;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      for (let at = 0; at < chunk.length;) {
        if (filled === part.length) grow();
        const copied = chunk.copy(part, filled, at);
        filled += copied;
        at += copied;
        if (filled === PART_SIZE) await sendPart();
      }
    }
    if (!uploadId) {
      await storage.client.send(
        new PutObjectCommand({ ...object, Body: part.subarray(0, filled), ContentLength: filled }),
        options,
      );
      return;
    }
    if (filled > 0) await sendPart();
    while (inFlight.size > 0) await Promise.race(inFlight);
    if (failure) throw failure;
    parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
    const complete = { Bucket: storage.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } };
    await storage.client.send(new CompleteMultipartUploadCommand(complete), options);
  } catch (err) {
    const cause = failure ?? err;
    fail(cause);
    await Promise.allSettled(inFlight);
    if (uploadId) {
      const abort = new AbortMultipartUploadCommand({ Bucket: storage.bucket, Key: key, UploadId: uploadId });
      // Best effort, in the background and bounded: a store that is down must not hold up the failure.
      // A bucket lifecycle rule (AbortIncompleteMultipartUpload) is the backstop.
      void storage.client.send(abort, { abortSignal: AbortSignal.timeout(5000) }).catch(() => {});
    }
    throw cause;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

export async function presignDownload(
  storage: Storage,
  key: string,
  fileName: string,
  ttlSeconds = storage.presignTtlSeconds,
) {
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

/** Removes an object (none there is fine). Bounded: a stalled store must not hold up a cancellation or a shutdown. */
export async function deleteObject(
  storage: Storage,
  key: string,
  signal: AbortSignal = AbortSignal.timeout(10_000),
): Promise<void> {
  await storage.client.send(new DeleteObjectCommand({ Bucket: storage.bucket, Key: key }), { abortSignal: signal });
}

export async function storageReachable(storage: Storage): Promise<boolean> {
  try {
    await storage.client.send(new HeadBucketCommand({ Bucket: storage.bucket }), {
      abortSignal: AbortSignal.timeout(2000),
    });
    return true;
  } catch {
    return false;
  }
}

/** A stored object's bytes as a stream (the web page reads JSON exports through the API this way). */
export async function openObject(storage: Storage, key: string): Promise<NodeJS.ReadableStream> {
  const object = await storage.client.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key }));
  return object.Body as NodeJS.ReadableStream;
}
