// Stages 3–4 of an export: the source's bytes, gzipped when asked, measured by the digest on their way into the
// upload's body. Done means every byte is encoded (the run then lets a cancelled upload complete).
import { createGzip } from 'node:zlib';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Digest } from './digest';
import type { ExportRun } from './export-run';

/** What is stored: the size and SHA-256 of the final bytes. */
export type Encoded = { bytes: number; sha256: string };

export async function encode(
  source: Readable,
  compression: 'none' | 'gzip',
  body: Writable,
  run: ExportRun,
): Promise<Encoded> {
  const digest = new Digest();
  const gzip = compression === 'gzip' ? [createGzip({ level: 1, chunkSize: 128 * 1024 })] : [];
  await pipeline([source, ...gzip, digest, body], { signal: run.signal });
  run.markEncoded();
  return { bytes: digest.bytes, sha256: digest.hex() };
}
