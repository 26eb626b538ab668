// Pass-through that measures what is stored: byte count and SHA-256 of the final bytes.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export class Digest extends Transform {
  bytes = 0;
  private hash = createHash('sha256');
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    done(null, chunk);
  }
  hex(): string {
    return this.hash.digest('hex');
  }
}
