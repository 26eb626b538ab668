// The COPY reader finishing records (utcTimestampLast, leadingTextCells; csv-record.ts) on whole protocol streams fed
// in every possible split, against a plain fake socket. test/copy-stream.test.ts runs it on PostgreSQL.
import { EventEmitter } from 'node:events';
import type { Connection } from 'pg';
import { CsvCopyOut, type CopyReaderOptions } from './copy-out';

/** A stand-in for node-postgres' connection: its socket hands out exactly the chunks queued, one per read(). */
function fakeConnection(chunks: Buffer[]) {
  const rest: Buffer[] = [];
  const stream: EventEmitter & { read(): Buffer | null; pause(): void; resume(): void } = Object.assign(
    new EventEmitter(),
    {
      read: () => chunks.shift() ?? null,
      pause: () => {},
      // Flowing again: what the socket still holds goes to the 'data' listener (node-postgres' parser).
      resume: () => chunks.splice(0).forEach((c) => stream.emit('data', c)),
    },
  );
  stream.on('data', (b: Buffer) => rest.push(b));
  const connection = { stream, query: () => setImmediate(() => stream.emit('readable')) };
  return { connection: connection as unknown as Connection, rest };
}

const message = (code: string, body: Buffer) => {
  const header = Buffer.alloc(5);
  header.write(code, 0, 'latin1');
  header.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
};
/** What PostgreSQL sends for a COPY TO STDOUT of these rows (each ending in LF or CR LF), and what follows it. */
const copyOutResponse = message('H', Buffer.from([0, 0, 1, 0, 0]));
const protocol = (rows: string[]) =>
  Buffer.concat([
    copyOutResponse,
    ...rows.map((r) => message('d', Buffer.from(r))),
    message('c', Buffer.alloc(0)),
    message('C', Buffer.from('COPY 1\0')),
  ]);

async function read(
  chunks: Buffer[],
  options: CopyReaderOptions = { utcTimestampLast: true },
): Promise<{ csv: string; records: number; rest: Buffer }> {
  const { connection, rest } = fakeConnection(chunks);
  const copy = new CsvCopyOut('copy …', Buffer.from('h\r\n'), options);
  copy.submit(connection);
  const out: Buffer[] = [];
  for await (const piece of copy) out.push(piece as Buffer);
  return { csv: Buffer.concat(out).toString(), records: copy.records, rest: Buffer.concat(rest) };
}

const splits = (bytes: Buffer, at: number[]) =>
  [0, ...at, bytes.length].slice(1).map((end, k, ends) => Buffer.from(bytes.subarray(k === 0 ? 0 : ends[k - 1], end)));

describe('CsvCopyOut with utcTimestampLast', () => {
  const rows = [
    'pkg-a,1.0,eu,2026-03-04 05:06:07+00\n',
    'x,"a,b\n2026-01-01 00:00:00+00",2026-12-31 23:59:59.999999+00\n',
    '2026-03-04 05:06:07.5+00\n',
    `${'long'.repeat(40)},"q""uote",2026-03-04 05:06:07.123+00\n`,
    'win,2026-03-04 05:06:08+00\r\n',
    ',2026-03-04 05:06:09+00\n',
  ];
  const expected =
    'h\r\n' +
    'pkg-a,1.0,eu,2026-03-04T05:06:07Z\r\n' +
    'x,"a,b\n2026-01-01 00:00:00+00",2026-12-31T23:59:59Z\r\n' +
    '2026-03-04T05:06:07Z\r\n' +
    `${'long'.repeat(40)},"q""uote",2026-03-04T05:06:07Z\r\n` +
    'win,2026-03-04T05:06:08Z\r\n' +
    ',2026-03-04T05:06:09Z\r\n';
  const bytes = protocol(rows);

  it('writes the same CSV whatever the socket reads: one read, every split in two, one byte at a time', async () => {
    expect((await read([Buffer.from(bytes)])).csv).toBe(expected);
    for (let at = 1; at < bytes.length; at++) {
      const { csv, records, rest } = await read(splits(bytes, [at]));
      expect({ at, csv, records }).toEqual({ at, csv: expected, records: rows.length });
      expect(rest.toString('latin1')).toContain('COPY 1'); // what follows CopyDone goes back to node-postgres
    }
    const ones = await read(
      splits(
        bytes,
        Array.from({ length: bytes.length - 1 }, (_, k) => k + 1),
      ),
    );
    expect(ones.csv).toBe(expected);
  });

  it('splits at every pair of points within a record, around its tail', async () => {
    // The 4th row's CopyData message: [start, end).
    const start = copyOutResponse.length + rows.slice(0, 3).reduce((n, r) => n + 5 + Buffer.byteLength(r), 0);
    const end = start + 5 + Buffer.byteLength(rows[3]!);
    for (let a = end - 40; a < end; a++)
      for (let b = a + 1; b <= end; b++) expect((await read(splits(bytes, [a, b]))).csv).toBe(expected);
  });

  it.each([
    ['a last field that is not a timestamp', 'a,b\n'],
    ['a timestamp not in UTC', 'a,2026-03-04 05:06:07+01\n'],
    ['a timestamp inside a quoted field', 'a,"2026-03-04 05:06:07+00"\n'],
  ])('fails the stream on %s', async (_what, row) => {
    await expect(read([protocol([rows[0]!, row])])).rejects.toThrow(/not a UTC timestamp/);
  });
});

describe('CsvCopyOut with leadingTextCells', () => {
  const rows = [
    'pkg-a,1.0,eu,2026-03-04 05:06:07+00\n',
    '=cmd(),-x,eu,2026-03-04 05:06:07.5+00\n',
    '"@a,b\nc","-1",+2,2026-03-04 05:06:08+00\n', // the third field is not a text cell here
    `${'long'.repeat(40)},"\t""q""",-1.5,2026-03-04 05:06:09.123+00\r\n`,
    '"",+,eu,2026-03-04 05:06:10+00\n',
  ];
  const expected =
    'h\r\n' +
    'pkg-a,1.0,eu,2026-03-04T05:06:07Z\r\n' +
    "'=cmd(),'-x,eu,2026-03-04T05:06:07Z\r\n" +
    '"\'@a,b\nc","-1",+2,2026-03-04T05:06:08Z\r\n' +
    `${'long'.repeat(40)},"'\t""q""",-1.5,2026-03-04T05:06:09Z\r\n` +
    '"",\'+,eu,2026-03-04T05:06:10Z\r\n';
  const bytes = protocol(rows);
  const options = { leadingTextCells: 2, utcTimestampLast: true };

  it('guards the same cells whatever the socket reads: one read, every split in two, one byte at a time', async () => {
    expect((await read([Buffer.from(bytes)], options)).csv).toBe(expected);
    for (let at = 1; at < bytes.length; at++) {
      const { csv, records } = await read(splits(bytes, [at]), options);
      expect({ at, csv, records }).toEqual({ at, csv: expected, records: rows.length });
    }
    const ones = Array.from({ length: bytes.length - 1 }, (_, k) => k + 1);
    expect((await read(splits(bytes, ones), options)).csv).toBe(expected);
  });

  it('without a timestamp to rewrite: the line end still fits, or goes out as its own piece', async () => {
    const plain = protocol(['=a,b\n', 'c,-d\n', 'e,f\n']);
    const want = "h\r\n'=a,b\r\nc,'-d\r\ne,f\r\n";
    for (let at = 1; at < plain.length; at++)
      for (let at2 = at + 1; at2 <= plain.length; at2++)
        expect((await read(splits(plain, [at, at2]), { leadingTextCells: 2 })).csv).toBe(want);
  });

  it.each([
    ['fewer fields than text cells', 'a\n'],
    ['an unterminated quoted field', '"a,b\n'],
  ])('fails the stream on %s', async (_what, row) => {
    await expect(read([protocol([row])], { leadingTextCells: 2 })).rejects.toThrow(/not well-formed CSV/);
  });
});
