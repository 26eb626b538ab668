// uploadStream against the real S3 emulator: every size around the part boundary arrives byte for byte (the part
// buffers are reused, so a part sent late or overwritten early would show), with its headers; an abort, a failing
// body or a failing store rejects with the cause at once (even while a proxy holds a part mid-way), stops the
// body, and leaves nothing at the key.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createStorage, PART_SIZE, uploadStream, type Storage } from '@ax/storage';
import { testStorage, testStorageConfig } from '@ax/testing';
import { startProxy, within } from './support/private-services';

let storage: Storage;
beforeAll(async () => {
  storage = await testStorage();
});

const meta = { contentType: 'text/csv; charset=utf-8', fileName: 'rows.csv' };
const key = () => `test-upload/${randomUUID()}.csv`;

/** `data` in pieces of random sizes, some larger than a part. */
function inPieces(data: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length;) {
    const size = Math.random() < 0.1 ? PART_SIZE + 12_345 : 1 + Math.floor(Math.random() * 200_000);
    pieces.push(data.subarray(at, at + size));
    at += size;
  }
  return Readable.from(pieces);
}

async function stored(
  k: string,
): Promise<{ sha256: string; length: number; contentType?: string; disposition?: string } | null> {
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

it.each([0, 1, PART_SIZE - 1, PART_SIZE, PART_SIZE + 1, 7 * PART_SIZE + 4321])(
  'stores %i bytes exactly',
  async (size) => {
    const data = randomBytes(size);
    const k = key();
    await uploadStream(storage, k, inPieces(data), meta);
    expect(await stored(k)).toEqual({
      sha256: sha256(data),
      length: size,
      contentType: meta.contentType,
      disposition: 'attachment; filename="rows.csv"',
    });
  },
  60_000,
);

/** A storage client whose requests go through a proxy that can hold them mid-way. */
async function stallable() {
  const proxy = await startProxy(Number(new URL(testStorageConfig.S3_ENDPOINT).port));
  const via = createStorage({ ...testStorageConfig, S3_ENDPOINT: `http://127.0.0.1:${proxy.port}` });
  return {
    proxy,
    storage: via,
    async close() {
      proxy.resume();
      via.client.destroy();
      await proxy.close();
    },
  };
}

it('an abort while the store holds a part rejects with its reason, and nothing appears once the store resumes', async () => {
  const s = await stallable();
  try {
    const k = key();
    const abort = new AbortController();
    const held = s.proxy.pauseAfter(6 * 1024 * 1024);
    const body = new PassThrough();
    const upload = uploadStream(s.storage, k, body, meta, abort.signal);
    body.end(randomBytes(2 * PART_SIZE + 10)); // the whole file is read: only the store's pause keeps it from completing
    await within(held, 10_000, 'a part to stall');
    abort.abort(new Error('export cancelled'));
    await expect(within(upload, 5_000, 'the upload to stop')).rejects.toThrow('export cancelled');
    s.proxy.resume();
    await new Promise((r) => setTimeout(r, 500));
    expect(await stored(k)).toBeNull();
  } finally {
    await s.close();
  }
});

it('a body that fails while the store holds a part rejects with its error at once, and leaves no object', async () => {
  const s = await stallable();
  try {
    const k = key();
    const held = s.proxy.pauseAfter(6 * 1024 * 1024);
    const body = new PassThrough();
    const upload = uploadStream(s.storage, k, body, meta);
    body.write(randomBytes(2 * PART_SIZE + 10));
    await within(held, 10_000, 'a part to stall');
    body.destroy(new Error('COPY failed'));
    // The stuck part is aborted too: before, the upload waited for it as long as the store held it.
    await expect(within(upload, 5_000, 'the upload to stop')).rejects.toThrow('COPY failed');
    s.proxy.resume();
    await new Promise((r) => setTimeout(r, 500));
    expect(await stored(k)).toBeNull();
  } finally {
    await s.close();
  }
});

it('a store that refuses rejects with its error and stops the body', async () => {
  const missing = createStorage({ ...testStorageConfig, S3_BUCKET: `no-such-bucket-${randomUUID().slice(0, 8)}` });
  try {
    const body = new PassThrough();
    const upload = uploadStream(missing, key(), body, meta);
    body.write(randomBytes(PART_SIZE + 10)); // a full part: the multipart upload is started (and refused)
    await expect(upload).rejects.toThrow(/bucket/i);
    expect(body.destroyed).toBe(true);
    expect(body.errored).toBeInstanceOf(Error); // writers see the cause, not a premature close
  } finally {
    missing.client.destroy();
  }
});
