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
// With `utcTimestampLast`, the last field of every record is a timestamptz as PostgreSQL prints it in UTC with
// DateStyle ISO (`2026-03-04 05:06:07.123+00`), and leaves here as `2026-03-04T05:06:07Z` (fraction dropped, as
// date_trunc('second') did in SQL). Done in place like the rest: PostgreSQL's own output is the cheapest text it makes,
// and the rewrite costs a few byte writes per row here, where the SQL for it cost the backend ~20% of its CPU (README).
import { Readable } from 'node:stream';
import type { Connection, Submittable } from 'pg';

const ERROR_RESPONSE = 0x45;
const COPY_DATA = 0x64;
const COPY_DONE = 0x63;
const LF = 0x0a;
const CR = 0x0d;
const CR_BYTE = Buffer.from([CR]);
const CRLF = Buffer.from([CR, LF]);
/** A socket read shorter than this means we are ahead of the server. */
const CAUGHT_UP = 32 * 1024;
/**
 * The bytes at a record's end the timestamp rewrite needs in one piece: the longest timestamp PostgreSQL prints for our
 * range (`YYYY-MM-DD HH:MM:SS.ffffff+00`, 29), the comma before it, and CR LF.
 */
const TAIL = 32;
const COMMA = 0x2c;
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;
/** Where each byte of `YYYY-MM-DD HH:MM:SS` must be a digit (true) or the given separator. */
const TIMESTAMP_SHAPE = [...'0000-00-00 00:00:00'].map((c) => (c === '0' ? -1 : c.charCodeAt(0)));

/**
 * Rewrites a UTC timestamp ending at `end` (exclusive) in `buf`, as PostgreSQL prints it with DateStyle ISO and time
 * zone UTC, into `YYYY-MM-DDTHH:MM:SSZ` in place, and returns the new end; -1 when the bytes are not such a timestamp
 * or it does not start a field (at `start` when `start` is the record's start, else after a comma).
 */
export function finishUtcTimestamp(buf: Buffer, start: number, end: number, startIsRecordStart: boolean): number {
  const offset = end - 3;
  if (offset - 19 < start || buf[offset] !== 0x2b || buf[offset + 1] !== 0x30 || buf[offset + 2] !== 0x30) return -1;
  let secondsEnd = offset;
  let q = offset;
  while (q > offset - 7 && isDigit(buf[q - 1])) q--;
  if (q < offset && offset - q <= 6 && buf[q - 1] === 0x2e) secondsEnd = q - 1;
  const at = secondsEnd - 19;
  if (at < start) return -1;
  for (let k = 0; k < 19; k++) {
    const want = TIMESTAMP_SHAPE[k]!;
    if (want === -1 ? !isDigit(buf[at + k]) : buf[at + k] !== want) return -1;
  }
  if (at === start ? !startIsRecordStart : buf[at - 1] !== COMMA) return -1;
  buf[at + 10] = 0x54; // T
  buf[secondsEnd] = 0x5a; // Z
  return secondsEnd + 1;
}

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
  // utcTimestampLast: the record's last bytes not yet emitted (its tail, when it may straddle socket reads), whether
  // they begin the record, and whether a piece of the record came in an earlier read.
  private readonly utcTimestampLast: boolean;
  private readonly carry = Buffer.alloc(4 * TAIL);
  private carryLength = 0;
  private carryAtRecordStart = false;
  private recordBegun = false;

  /** `prefix` (a header line, a BOM) is emitted before the first record. */
  constructor(
    readonly text: string,
    prefix?: Buffer,
    options: { utcTimestampLast?: boolean } = {},
  ) {
    super({ highWaterMark: 256 * 1024 });
    this.utcTimestampLast = options.utcTimestampLast ?? false;
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
      if (this.utcTimestampLast) {
        // Same in-place output, with the record's last field rewritten; see finishTimestampRecord.
        if (rowEnds) {
          if (this.carryLength > 0) {
            // The record began in an earlier read: its held-back tail goes out after what this read has written.
            emit(chunk.subarray(from, w));
            from = w;
          }
          const out = this.finishTimestampRecord(chunk, i, end, w, emit);
          if (out === null) return;
          if (out === -1) from = w = end;
          else w = out;
        } else w = this.holdTail(chunk, i, end, w, this.remaining - take);
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
        const last = end - 1;
        if (chunk[last] !== LF) return this.fail('a row that does not end with a newline');
        const body = last > i && chunk[last - 1] === CR ? last - 1 : last;
        if (w + (body - i) + 2 <= end) {
          w = moveDown(chunk, w, i, body);
          chunk[w++] = CR;
          chunk[w++] = LF;
        } else {
          w = moveDown(chunk, w, i, body);
          emit(chunk.subarray(from, w));
          emit(CRLF);
          from = w = end;
        }
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
   * A record's last piece, chunk[i, end), ends it. With no held-back tail, its last field is rewritten in the chunk
   * and the record moved down to `w` as usual (returns the new `w`); a held-back tail gets the piece appended and goes
   * out as a small copy (returns -1: the chunk's output restarts after the record). Null when the record is not what
   * we asked for (the stream has failed).
   */
  private finishTimestampRecord(
    chunk: Buffer,
    i: number,
    end: number,
    w: number,
    emit: (piece: Buffer) => void,
  ): number | null {
    const carried = this.carryLength > 0;
    const buf = carried ? this.carry : chunk;
    const start = carried ? 0 : i;
    let last = end - 1;
    if (carried) {
      chunk.copy(this.carry, this.carryLength, i, end);
      last = this.carryLength + (end - i) - 1;
      this.carryLength = 0;
    }
    if (buf[last] !== LF) {
      this.fail('a row that does not end with a newline');
      return null;
    }
    const body = last > start && buf[last - 1] === CR ? last - 1 : last;
    const atStart = carried ? this.carryAtRecordStart : !this.recordBegun;
    const finished = finishUtcTimestamp(buf, start, body, atStart);
    this.recordBegun = false;
    if (finished === -1) {
      this.fail('a last field that is not a UTC timestamp');
      return null;
    }
    buf[finished] = CR;
    buf[finished + 1] = LF;
    this.records++;
    if (!carried) return moveDown(chunk, w, i, finished + 2);
    emit(Buffer.from(this.carry.subarray(0, finished + 2)));
    return -1;
  }

  /**
   * Part of a record, chunk[i, end), with `after` bytes of it still to come: its bytes go out, but for the last ones
   * the timestamp rewrite may need in one piece with what follows (held back in `carry`). Returns the new `w`.
   */
  private holdTail(chunk: Buffer, i: number, end: number, w: number, after: number): number {
    const take = end - i;
    const keep = Math.max(0, TAIL + 2 - after);
    if (this.carryLength > 0) {
      // Already holding this record's tail: the rest of it (fewer than TAIL + 2 bytes) joins it.
      chunk.copy(this.carry, this.carryLength, i, end);
      this.carryLength += take;
    } else if (keep > 0) {
      const held = Math.min(keep, take);
      this.carryAtRecordStart = !this.recordBegun && held === take;
      chunk.copy(this.carry, 0, end - held, end);
      this.carryLength = held;
      w = moveDown(chunk, w, i, end - held);
    } else w = moveDown(chunk, w, i, end);
    this.recordBegun = true;
    return w;
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
