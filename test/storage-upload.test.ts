// uploadStream against the real S3 emulator: every size around the part boundary arrives byte for byte (the part
// buffers are reused, so a part sent late or overwritten early would show), with its headers; an abort, a failing
// body or a failing store rejects with the cause, stops the body, and leaves nothing at the key.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createStorage, PART_SIZE, uploadStream, type Storage } from '@ax/storage';
import { testStorage, testStorageConfig } from '@ax/testing';

let storage: Storage;
beforeAll(async () => {
  storage = await testStorage();
});

const meta = { contentType: 'text/csv; charset=utf-8', fileName: 'rows.csv' };
const key = () => `test-upload/${randomUUID()}.csv`;

/** `data` in pieces of random sizes, some larger than a part. */
function inPieces(data: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const size = Math.random() < 0.1 ? PART_SIZE + 12_345 : 1 + Math.floor(Math.random() * 200_000);
    pieces.push(data.subarray(at, at + size));
    at += size;
  }
  return Readable.from(pieces);
}

async function stored(k: string): Promise<{ sha256: string; length: number; contentType?: string; disposition?: string } | null> {
  try {
    const out = await storage.client.send(new GetObjectCommand({ Bucket: storage.bucket, Key: k }));
    const hash = createHash('sha256');
    let length = 0;
    for await (const chunk of out.Body as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      length += chunk.length;
    }
    return { sha256: hash.digest('hex'), length, contentType: out.ContentType, disposition: out.ContentDisposition };
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return null;
    throw err;
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

it.each([0, 1, PART_SIZE - 1, PART_SIZE, PART_SIZE + 1, 7 * PART_SIZE + 4321])('stores %i bytes exactly', async (size) => {
  const data = randomBytes(size);
  const k = key();
  await uploadStream(storage, k, inPieces(data), meta);
  expect(await stored(k)).toEqual({ sha256: sha256(data), length: size, contentType: meta.contentType, disposition: 'attachment; filename="rows.csv"' });
}, 60_000);

it('an abort mid-way rejects with its reason, destroys the body, and leaves no object', async () => {
  const body = new PassThrough();
  const k = key();
  const abort = new AbortController();
  const upload = uploadStream(storage, k, body, meta, abort.signal);
  body.write(randomBytes(2 * PART_SIZE + 10)); // two parts on their way, a third begun
  await new Promise((r) => setTimeout(r, 300));
  abort.abort(new Error('export cancelled'));
  await expect(upload).rejects.toThrow('export cancelled');
  expect(body.destroyed).toBe(true);
  expect(await stored(k)).toBeNull();
});

it('a body that fails rejects with its error and leaves no object', async () => {
  const k = key();
  const body = new PassThrough();
  const upload = uploadStream(storage, k, body, meta);
  body.write(randomBytes(PART_SIZE + 10));
  setTimeout(() => body.destroy(new Error('COPY failed')), 200);
  await expect(upload).rejects.toThrow('COPY failed');
  expect(await stored(k)).toBeNull();
});

it('a store that refuses rejects with its error and stops the body', async () => {
  const missing = createStorage({ ...testStorageConfig, S3_BUCKET: `no-such-bucket-${randomUUID().slice(0, 8)}` });
  const body = new PassThrough();
  const upload = uploadStream(missing, key(), body, meta);
  body.write(randomBytes(PART_SIZE + 10)); // a full part: the multipart upload is started (and refused)
  await expect(upload).rejects.toThrow(/bucket/i);
  expect(body.destroyed).toBe(true);
});
