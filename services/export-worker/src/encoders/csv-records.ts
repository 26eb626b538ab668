// Turns PostgreSQL's COPY CSV (LF line ends, one tiny chunk per row) into RFC 4180 CSV with CRLF,
// counting records and emitting large chunks: tiny chunks make gzip and S3 ten times slower (STACK.md).
import { Transform, type TransformCallback } from 'node:stream';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const OUT_SIZE = 256 * 1024;

export class CsvRecords extends Transform {
  records = 0;
  private inQuotes = false;
  private out = Buffer.allocUnsafe(OUT_SIZE);
  private pos = 0;

  constructor(prefix?: Buffer) {
    super();
    if (prefix) this.write_(prefix, 0, prefix.length);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    if (!this.inQuotes && chunk.indexOf(QUOTE) === -1) {
      // Fast path: no quoted field, so every LF ends a record.
      let nl = chunk.indexOf(LF);
      while (nl !== -1) {
        this.write_(chunk, start, nl);
        this.endRecord();
        start = nl + 1;
        nl = chunk.indexOf(LF, start);
      }
    } else {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === QUOTE) this.inQuotes = !this.inQuotes;
        else if (b === LF && !this.inQuotes) {
          this.write_(chunk, start, i);
          this.endRecord();
          start = i + 1;
        }
      }
    }
    if (start < chunk.length) this.write_(chunk, start, chunk.length);
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.pos > 0) this.push(this.out.subarray(0, this.pos));
    done();
  }

  private endRecord(): void {
    if (this.pos + 2 > OUT_SIZE) this.emitBuffer();
    this.out[this.pos++] = CR;
    this.out[this.pos++] = LF;
    this.records++;
  }

  private write_(src: Buffer, from: number, to: number): void {
    let len = to - from;
    while (len > 0) {
      if (this.pos === OUT_SIZE) this.emitBuffer();
      const n = Math.min(len, OUT_SIZE - this.pos);
      src.copy(this.out, this.pos, from, from + n);
      this.pos += n;
      from += n;
      len -= n;
    }
  }

  private emitBuffer(): void {
    this.push(this.out.subarray(0, this.pos));
    this.out = Buffer.allocUnsafe(OUT_SIZE);
    this.pos = 0;
  }
}

export const csvHeader = (columns: readonly string[], bom: boolean): Buffer =>
  Buffer.from(`${bom ? '\uFEFF' : ''}${columns.join(',')}\r\n`, 'utf8');
