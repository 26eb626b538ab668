// A temporary file that one writer fills while one reader follows it, for streams produced faster than they can
// be consumed. The file is unlinked as soon as it is opened: nothing is left on disk, whatever happens to the
// process, and memory stays flat however far the writer runs ahead.
import { randomUUID } from 'node:crypto';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';

const READ_SIZE = 256 * 1024;

export class Spool {
  private written = 0;
  private done = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  private constructor(private readonly file: FileHandle) {}

  static async create(dir: string): Promise<Spool> {
    const path = join(dir, `ax-spool-${randomUUID()}`);
    const file = await open(path, 'w+', 0o600);
    await unlink(path);
    return new Spool(file);
  }

  /** The writing end: `end()` marks the spool complete; destroying it with an error fails the reader. */
  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _enc, done) => {
        this.append(chunk).then(() => done(), done);
      },
      final: (done) => {
        this.done = true;
        this.notify();
        done();
      },
      destroy: (err, done) => {
        if (err && !this.done) this.failure = err;
        this.notify();
        done(err);
      },
    });
  }

  /** Everything written, in order, waiting for more until the writer ends (or failing when it failed). */
  async *read(): AsyncGenerator<Buffer> {
    let pos = 0;
    for (;;) {
      if (pos < this.written) {
        const buffer = Buffer.allocUnsafe(Math.min(READ_SIZE, this.written - pos));
        const { bytesRead } = await this.file.read(buffer, 0, buffer.length, pos);
        pos += bytesRead;
        yield buffer.subarray(0, bytesRead);
      } else if (this.failure) {
        throw this.failure;
      } else if (this.done) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    }
  }

  async close(): Promise<void> {
    this.failure ??= new Error('spool closed');
    this.notify();
    await this.file.close();
  }

  /** Writes all of `chunk` (a write may take only part of it) and tells a waiting reader. */
  private async append(chunk: Buffer): Promise<void> {
    for (let at = 0; at < chunk.length;) {
      const { bytesWritten } = await this.file.write(chunk, at, chunk.length - at, this.written);
      at += bytesWritten;
      this.written += bytesWritten;
      this.notify();
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
