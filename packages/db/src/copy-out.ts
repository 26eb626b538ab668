// COPY … TO STDOUT (format csv) for node-postgres, read straight off the connection's socket: RFC 4180 records
// ending in CRLF, counted, converted in place in the bytes as they were read.
//
// Why not pg-copy-streams: it pushes every row's CopyData message through a buffer list, and a second stream then
// had to re-scan every byte for record ends. On this CPU-bound path (one backend, our process and the upload share
// the cores) that was the largest cost of ours (README "Why node-postgres for COPY"). This reader does the same
// protocol hand-over as pg-copy-streams (take the socket, give back what follows CopyDone or an error) and leans
// on one fact of the PostgreSQL server: COPY TO sends each row as exactly one CopyData message, ending in LF (CR LF
// on Windows servers) (src/backend/commands/copyto.c, CopySendEndOfRow). A message that does not end that way
// fails the stream instead of producing a wrong file.
//
// With `leadingTextCells` or `utcTimestampLast`, each record is finished whole by csv-record.ts: the formula guard
// on its leading text cells, the UTC timestamp of its last field. Done in place like the rest when the record came in
// one socket read; PostgreSQL's own output is the cheapest text it makes, and these cost it ~30% of its CPU in SQL
// (README "Cells the COPY reader finishes"). A record split across reads is held until its end arrives: one row in
// memory at most.
import { Readable } from 'node:stream';
import type { Connection, Submittable } from 'pg';
import type { CopyQuery } from './copy-query';
import { finishUtcTimestamp, guardLeadingText, leadingTextIsPlain } from './csv-record';

const ERROR_RESPONSE = 0x45;
const COPY_DATA = 0x64;
const COPY_DONE = 0x63;
const LF = 0x0a;
const CR = 0x0d;
const CR_BYTE = Buffer.from([CR]);
const CRLF = Buffer.from([CR, LF]);
/** A socket read shorter than this means we are ahead of the server. */
const CAUGHT_UP = 32 * 1024;

type DataHandler = (chunk: Buffer) => void;

/** Moves buf[start, end) down to `to` (to <= start) and returns the end of the moved bytes. */
function moveDown(buf: Buffer, to: number, start: number, end: number): number {
  if (to === start) return end;
  if (end - start > 64) {
    buf.copyWithin(to, start, end);
    return to + end - start;
  }
  for (let k = start; k < end; k++) buf[to++] = buf[k]!;
  return to;
}

/** Where a row's record bytes buf[start, end) end before their LF (or CR LF); -1 when the row does not end in LF. */
function recordEnd(buf: Buffer, start: number, end: number): number {
  const last = end - 1;
  if (buf[last] !== LF) return -1;
  return last > start && buf[last - 1] === CR ? last - 1 : last;
}

/** What the reader finishes in each record (csv-record.ts), as the query asks (copy-query.ts); nothing by default. */
export type CopyReaderOptions = Pick<CopyQuery, 'leadingTextCells' | 'utcTimestampLast'>;

export class CsvCopyOut extends Readable implements Submittable {
  /** Records (rows) emitted so far. */
  records = 0;
  /**
   * Settles when node-postgres is done with the query: after the statements that follow the COPY in its text (a
   * COMMIT) have run, or with the error that ended it. The connection is idle again only then.
   */
  readonly completed: Promise<void>;
  private complete!: () => void;
  private failCompletion!: (err: Error) => void;
  private connection: Connection | null = null;
  private pgDataHandler: DataHandler | null = null;
  private nap: NodeJS.Timeout | null = null;
  private readonly onReadable = () => void (this.nap || this.forward());
  private wanted = false;
  private forwarding = false;
  private finished = false;
  // Protocol state: the header of the message being read (1 code byte + 4 length bytes) and the bytes of its
  // body still to come.
  private readonly header = Buffer.alloc(5);
  private headerBytes = 0;
  private code = 0;
  private remaining = 0;
  private pendingCr = false;
  // Records finished by csv-record.ts (leadingTextCells, utcTimestampLast): a record split across socket reads is
  // collected in `carry` until its end arrives.
  private readonly leadingTextCells: number;
  private readonly utcTimestampLast: boolean;
  private readonly finishRecords: boolean;
  private carry = Buffer.alloc(0);
  private carryLength = 0;

  /**
   * `prefix` (a header line, a BOM) is emitted before the first record. `leadingTextCells`: the first N fields of each
   * record are text cells, formula-guarded here (CONTRACT §3). `utcTimestampLast`: the last field is a timestamptz
   * printed in UTC, written `YYYY-MM-DDTHH:MM:SSZ` here.
   */
  constructor(
    readonly text: string,
    prefix?: Buffer,
    options: CopyReaderOptions = {},
  ) {
    super({ highWaterMark: 256 * 1024 });
    this.leadingTextCells = options.leadingTextCells ?? 0;
    this.utcTimestampLast = options.utcTimestampLast ?? false;
    this.finishRecords = this.leadingTextCells > 0 || this.utcTimestampLast;
    this.completed = new Promise<void>((resolve, reject) => {
      this.complete = resolve;
      this.failCompletion = reject;
    });
    this.completed.catch(() => {}); // the stream carries the same error to whoever reads it
    if (prefix) this.push(prefix);
  }

  /** Called by node-postgres when the query reaches the connection. */
  submit(connection: Connection): void {
    this.connection = connection;
    const listeners = connection.stream.listeners('data');
    if (listeners.length !== 1) throw new Error('unexpected listeners on the PostgreSQL socket');
    this.pgDataHandler = listeners[0] as DataHandler;
    connection.stream.removeListener('data', this.pgDataHandler);
    connection.stream.pause();
    connection.stream.on('readable', this.onReadable);
    connection.query(this.text);
  }

  override _read(): void {
    this.wanted = true;
    this.forward();
  }

  private forward(): void {
    if (this.forwarding || !this.wanted || !this.connection || this.finished) return;
    this.forwarding = true;
    try {
      let chunk: Buffer | null;
      while (this.wanted && !this.finished && (chunk = this.connection.stream.read() as Buffer | null) !== null) {
        this.parse(chunk);
        if (chunk.length < CAUGHT_UP && !this.finished) {
          // We have read all the server has sent so far. PostgreSQL sends 8 KiB at a time: waking for each costs
          // more CPU than the rows themselves. Let the next rows collect in the socket for a moment and read them
          // in one go (5M rows: ~30,000 reads → ~4,000, and 0.7 s less CPU here and in the backend). When data
          // is waiting, reads are full and there is no pause, so this never caps throughput.
          this.nap = setTimeout(() => {
            this.nap = null;
            this.forward();
          }, 1);
          break;
        }
      }
    } finally {
      this.forwarding = false;
    }
  }

  /**
   * Turns the protocol bytes of one socket read into CSV in place: each row's 5-byte message header is dropped and
   * its LF becomes CR LF, so the output always fits in the bytes already read. No copy, no allocation per row. A
   * row that began in an earlier read has no header here to make room for its CR: its end goes out as pieces.
   */
  private parse(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0; // next byte to read
    let w = 0; // next byte to write: chunk[from, w) is output not yet pushed
    let from = 0;
    const emit = (piece: Buffer) => {
      if (piece.length > 0 && !this.push(piece)) this.wanted = false;
    };
    // Pushes the output written so far, then `piece` in its own buffer; reading goes on after the message, at `end`.
    const emitThen = (piece: Buffer, end: number) => {
      emit(chunk.subarray(from, w));
      emit(piece);
      from = w = end;
    };
    // A record whose bytes are chunk[start, bytesEnd), its message ending at `end`: moved down to `w` and ended with
    // CR LF, in place when there is room, else as pieces.
    const endRecord = (start: number, bytesEnd: number, end: number) => {
      w = moveDown(chunk, w, start, bytesEnd);
      if (w + 2 <= end) {
        chunk[w++] = CR;
        chunk[w++] = LF;
      } else emitThen(CRLF, end);
    };
    while (i < n) {
      if (this.remaining === 0) {
        // At a message boundary: read its header, possibly split across socket reads.
        let start = i;
        if (this.headerBytes === 0 && n - i >= 5) {
          this.code = chunk[i]!;
          this.remaining = chunk.readUInt32BE(i + 1) - 4;
          i += 5;
        } else {
          const take = Math.min(5 - this.headerBytes, n - i);
          chunk.copy(this.header, this.headerBytes, i, i + take);
          this.headerBytes += take;
          i += take;
          if (this.headerBytes < 5) break;
          this.code = this.header[0]!;
          this.remaining = this.header.readUInt32BE(1) - 4;
          start = -1; // the header began in an earlier read
        }
        this.headerBytes = 0;
        if (this.code === ERROR_RESPONSE) {
          // node-postgres parses the error (and what follows) and calls handleError.
          return this.detach(start >= 0 ? chunk.subarray(start) : Buffer.concat([this.header, chunk.subarray(i)]));
        }
        if (this.code === COPY_DONE) {
          this.remaining = 0;
          emit(chunk.subarray(from, w));
          this.finished = true;
          this.detach(chunk.subarray(i));
          this.push(null);
          return;
        }
        if (this.code === COPY_DATA && this.remaining === 0) return this.fail('an empty CopyData message');
        continue;
      }
      const take = Math.min(this.remaining, n - i);
      const end = i + take;
      if (this.code !== COPY_DATA) {
        // CopyOutResponse, NoticeResponse, ParameterStatus…: nothing for the file.
        this.remaining -= take;
        i = end;
        continue;
      }
      const rowEnds = take === this.remaining;
      if (this.finishRecords) {
        if (this.carryLength === 0 && rowEnds) {
          // A whole record in this read: finished in place, or replaced by a new buffer (a guarded cell).
          const record = this.finishRecord(chunk, i, end);
          if (record === null) return;
          if (typeof record === 'number') endRecord(i, record, end);
          else emitThen(record, end);
        } else {
          this.hold(chunk, i, end);
          if (rowEnds) {
            const record = this.finishRecord(this.carry, 0, this.carryLength);
            this.carryLength = 0;
            if (this.carry.length > 64 * 1024) this.carry = Buffer.alloc(0); // a rare long row: let it go
            if (record === null) return;
            emitThen(record as Buffer, end);
          }
        }
        this.remaining -= take;
        i = end;
        continue;
      }
      if (this.pendingCr) {
        // The previous read ended this row with a CR we held back: a Windows line end if only the LF follows,
        // otherwise part of the record (this is the start of a read, so there is no room in place for it).
        this.pendingCr = false;
        if (!(rowEnds && take === 1)) emit(CR_BYTE);
      }
      if (rowEnds) {
        // The row ends here: its last byte must be the record end (LF, after a CR on Windows servers).
        const bytesEnd = recordEnd(chunk, i, end);
        if (bytesEnd === -1) return this.fail('a row that does not end with a newline');
        endRecord(i, bytesEnd, end);
        this.records++;
      } else {
        // Part of a row; a CR at its end is held back until we know whether the LF ending the row follows.
        this.pendingCr = chunk[end - 1] === CR;
        w = moveDown(chunk, w, i, this.pendingCr ? end - 1 : end);
      }
      this.remaining -= take;
      i = end;
    }
    emit(chunk.subarray(from, w));
  }

  /**
   * Finishes the record buf[start, end) (its CopyData body, ending in LF or CR LF). In place in a socket read (no cell
   * needed a `'`): returns the end of its bytes, line end not included. Otherwise (a guarded cell, or the record
   * collected in `carry`, which is reused): a new buffer with the record and its CR LF. Null when the record is not
   * what we asked for (the stream has failed).
   */
  private finishRecord(buf: Buffer, start: number, end: number): number | Buffer | null {
    let record = buf;
    let bytesStart = start;
    let bytesEnd = recordEnd(buf, start, end);
    if (bytesEnd === -1) {
      this.fail('a row that does not end with a newline');
      return null;
    }
    if (this.leadingTextCells > 0 && !leadingTextIsPlain(buf, start, bytesEnd, this.leadingTextCells)) {
      const guarded = guardLeadingText(buf, start, bytesEnd, this.leadingTextCells);
      if (guarded === null) {
        this.fail(`a record whose first ${this.leadingTextCells} fields are not well-formed CSV`);
        return null;
      }
      record = guarded;
      bytesStart = 0;
      bytesEnd = guarded.length - 2;
    }
    if (this.utcTimestampLast) {
      bytesEnd = finishUtcTimestamp(record, bytesStart, bytesEnd);
      if (bytesEnd === -1) {
        this.fail('a last field that is not a UTC timestamp');
        return null;
      }
    }
    this.records++;
    if (record === buf && buf !== this.carry) return bytesEnd;
    if (record === buf) {
      record = Buffer.allocUnsafe(bytesEnd - bytesStart + 2);
      bytesEnd = buf.copy(record, 0, bytesStart, bytesEnd);
      bytesStart = 0;
    }
    record[bytesEnd] = CR;
    record[bytesEnd + 1] = LF;
    return record.subarray(bytesStart, bytesEnd + 2);
  }

  /** Appends chunk[i, end), a piece of a record that is not whole in this read, to `carry`. */
  private hold(chunk: Buffer, i: number, end: number): void {
    const length = this.carryLength + end - i;
    if (length > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.max(length, 2 * this.carry.length, 256));
      this.carry.copy(grown, 0, 0, this.carryLength);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carryLength, i, end);
    this.carryLength = length;
  }

  private fail(what: string): void {
    this.finished = true;
    this.destroy(new Error(`COPY stream: PostgreSQL sent ${what}; refusing to write a file that may be wrong`));
  }

  /** Hands the socket back to node-postgres with the bytes it has to parse next. */
  private detach(rest: Buffer): void {
    const connection = this.connection!;
    if (this.nap) clearTimeout(this.nap);
    connection.stream.removeListener('readable', this.onReadable);
    connection.stream.on('data', this.pgDataHandler!);
    if (rest.length > 0) this.pgDataHandler!(rest);
    process.nextTick(() => connection.stream.resume());
  }

  // node-postgres calls these as the rest of the exchange (CommandComplete, ReadyForQuery, or an error) arrives.
  // An error after the last record (in the COMMIT that follows) fails `completed`; the stream has ended by then.
  handleError(err: Error): void {
    this.finished = true;
    if (this.nap) clearTimeout(this.nap);
    this.failCompletion(err);
    this.destroy(err);
  }
  handleCommandComplete(): void {}
  handleReadyForQuery(): void {
    this.complete();
  }
}
