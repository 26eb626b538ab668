// The COPY reader's timestamp rewrite (utcTimestampLast) as pure logic: the rewrite of one field, and whole protocol
// streams fed in every possible split, against a plain fake socket. test/copy-stream.test.ts runs it on PostgreSQL.
import { EventEmitter } from 'node:events';
import type { Connection } from 'pg';
import { CsvCopyOut, finishUtcTimestamp } from './copy-out';

const rewrite = (field: string, atRecordStart = false) => {
  const buf = Buffer.from(field);
  const end = finishUtcTimestamp(buf, 0, buf.length, atRecordStart);
  return end === -1 ? null : buf.subarray(0, end).toString();
};

describe('finishUtcTimestamp', () => {
  it.each([
    ['x,2026-03-04 05:06:07+00', 'x,2026-03-04T05:06:07Z'],
    ['x,2026-03-04 05:06:07.5+00', 'x,2026-03-04T05:06:07Z'],
    ['x,2026-12-31 23:59:59.999999+00', 'x,2026-12-31T23:59:59Z'],
    ['x,2026-03-04 05:06:07.123+00', 'x,2026-03-04T05:06:07Z'],
  ])('%s → %s (the fraction is dropped, as date_trunc did)', (input, output) => {
    expect(rewrite(input)).toBe(output);
  });

  it('takes a timestamp at the record start only when it is the record start', () => {
    expect(rewrite('2026-03-04 05:06:07+00', true)).toBe('2026-03-04T05:06:07Z');
    expect(rewrite('2026-03-04 05:06:07+00', false)).toBeNull();
  });

  it.each([
    'x,2026-03-04 05:06:07+01', // not UTC
    'x,2026-03-04 05:06:07-00',
    'x,2026-03-04 5:06:07+00',
    'x,2026-03-04T05:06:07+00',
    'x,2026/03/04 05:06:07+00',
    'x,2026-03-04 05:06:07.1234567+00', // PostgreSQL prints at most 6 digits
    'x,2026-03-04 05:06:07.+00',
    'x2026-03-04 05:06:07+00', // not a field of its own
    '"2026-03-04 05:06:07+00', // inside a quoted field
    'x,infinity',
    'x,',
    '',
  ])('refuses %j', (input) => {
    expect(rewrite(input)).toBeNull();
  });
});

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

async function read(chunks: Buffer[]): Promise<{ csv: string; records: number; rest: Buffer }> {
  const { connection, rest } = fakeConnection(chunks);
  const copy = new CsvCopyOut('copy …', Buffer.from('h\r\n'), { utcTimestampLast: true });
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
