// What the COPY reader (copy-out.ts) does to one whole CSV record as PostgreSQL printed it, in its bytes:
// - the formula guard on the record's leading text cells (CONTRACT §3), which app.csv_text did in SQL;
// - the UTC timestamp of its last field, written `YYYY-MM-DDTHH:MM:SSZ`.
// Both cost PostgreSQL more than they cost us here (README "Cells the COPY reader finishes").

const COMMA = 0x2c;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;

/** First bytes of a text cell that get a leading `'`, unless the cell is a number: = + - @ tab CR (CONTRACT §3). */
const FORMULA_START = new Uint8Array(256);
for (const c of '=+-@\t\r') FORMULA_START[c.charCodeAt(0)] = 1;
/** First bytes that send a record to guardLeadingText: those above, and a quote (a quoted field, parsed there). */
const LOOK_CLOSER = FORMULA_START.slice();
LOOK_CLOSER[QUOTE] = 1;
/** A number: such a cell keeps its sign (app.csv_text's pattern). */
const NUMBER = /^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$/;

/**
 * Whether the record buf[start, end) (no line end) is right as it is for its first `cells` fields: each of them is
 * unquoted and does not start with a guarded byte. False sends the record to guardLeadingText: a quoted or guarded
 * leading cell, or fewer fields (which guardLeadingText refuses). Only the leading fields are text cells, and a field
 * before a text cell is one too, so until a quote is seen every comma ends a field.
 */
export function leadingTextIsPlain(buf: Buffer, start: number, end: number, cells: number): boolean {
  let p = start;
  for (let field = 1; ; field++) {
    if (p < end && LOOK_CLOSER[buf[p]!] === 1) return false;
    if (field === cells) return true;
    while (p < end && buf[p] !== COMMA) p++;
    if (p === end) return false;
    p++;
  }
}

/**
 * The record buf[start, end) (no line end) with a `'` before each of its first `cells` fields whose value starts with
 * = + - @ tab or CR and is not a number, as app.csv_text did: inside the quotes of a quoted field, so its quoting is
 * unchanged (a `'` needs none). A new buffer with two spare bytes at its end, for the line end; null when a leading
 * field is not well formed CSV or the record has fewer fields.
 */
export function guardLeadingText(buf: Buffer, start: number, end: number, cells: number): Buffer | null {
  const inserts: number[] = [];
  let p = start;
  for (let field = 1; field <= cells; field++) {
    let valueStart = p;
    let next: number; // the byte after the field: a comma or the record's end
    if (buf[p] === QUOTE) {
      valueStart = p + 1;
      let q = valueStart;
      for (;;) {
        if (q >= end) return null; // no closing quote
        if (buf[q] === QUOTE) {
          if (buf[q + 1] !== QUOTE) break;
          q++;
        }
        q++;
      }
      next = q + 1;
      if (next < end && buf[next] !== COMMA) return null; // bytes after the closing quote
      if (
        FORMULA_START[buf[valueStart]!] === 1 &&
        !(q > valueStart && NUMBER.test(buf.toString('latin1', valueStart, q)))
      )
        inserts.push(valueStart);
    } else {
      next = p;
      while (next < end && buf[next] !== COMMA) next++;
      if (FORMULA_START[buf[p]!] === 1 && p < next && !NUMBER.test(buf.toString('latin1', p, next)))
        inserts.push(valueStart);
    }
    if (field < cells && next >= end) return null;
    p = next + 1;
  }
  const out = Buffer.allocUnsafe(end - start + inserts.length + 2);
  let w = 0;
  let from = start;
  for (const at of inserts) {
    w += buf.copy(out, w, from, at);
    out[w++] = APOSTROPHE;
    from = at;
  }
  buf.copy(out, w, from, end);
  return out;
}

/** Where each byte of `YYYY-MM-DD HH:MM:SS` must be a digit (-1) or the given separator. */
const TIMESTAMP_SHAPE = [...'0000-00-00 00:00:00'].map((c) => (c === '0' ? -1 : c.charCodeAt(0)));

/**
 * Rewrites the last field of the record buf[start, end) (no line end), a UTC timestamp as PostgreSQL prints it with
 * DateStyle ISO and time zone UTC (`2026-03-04 05:06:07.123+00`), into `YYYY-MM-DDTHH:MM:SSZ` in place (the fraction
 * is dropped, as date_trunc('second') did), and returns the record's new end; -1 when the bytes are not such a
 * timestamp or it is not a field of its own (at `start`, or after a comma).
 */
export function finishUtcTimestamp(buf: Buffer, start: number, end: number): number {
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
  if (at > start && buf[at - 1] !== COMMA) return -1;
  buf[at + 10] = 0x54; // T
  buf[secondsEnd] = 0x5a; // Z
  return secondsEnd + 1;
}
