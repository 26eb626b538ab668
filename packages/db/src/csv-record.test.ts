// What the COPY reader does to one record, as pure logic: the formula guard on leading text cells and the UTC
// timestamp of the last field. test/copy-stream.test.ts checks both against PostgreSQL's own SQL formatting.
import { finishUtcTimestamp, guardLeadingText, leadingTextIsPlain } from './csv-record';

/** The record as the reader writes it (without its line end), or null when it refuses it. */
function guard(record: string, cells: number): string | null {
  const buf = Buffer.from(record);
  if (leadingTextIsPlain(buf, 0, buf.length, cells)) return record;
  const out = guardLeadingText(buf, 0, buf.length, cells);
  return out === null ? null : out.subarray(0, out.length - 2).toString();
}

describe('the formula guard on leading text cells', () => {
  it.each([
    ['pkg-a,1.0,eu,x', 3, 'pkg-a,1.0,eu,x'],
    ['=cmd,1.0,eu,x', 3, "'=cmd,1.0,eu,x"],
    ['pkg,+1+2,eu,x', 3, "pkg,'+1+2,eu,x"],
    ['pkg,1.0,-eu,x', 3, "pkg,1.0,'-eu,x"],
    ['@a,@b,@c,@d', 3, "'@a,'@b,'@c,@d"], // the 4th field is not a text cell
    ['\tx,\t,y', 2, "'\tx,'\t,y"],
    ['"\rx",y', 1, '"\'\rx",y'], // inside the quotes: the field's quoting is unchanged
    ['"=a,b",c', 1, '"\'=a,b",c'],
    ['"a,=b",=c,d', 2, '"a,=b",\'=c,d'],
    ['"=""q""",x', 1, '"\'=""q""",x'],
    ['"""=q",x', 1, '"""=q",x'], // the value starts with a quote
    ['"",=x', 2, `"",'=x`],
    ['"line\nbreak",-x', 2, `"line\nbreak",'-x`],
    ['-', 1, "'-"],
    ['=', 1, "'="],
    ['é=,x', 1, 'é=,x'],
  ])('%j (%i cells) → %j', (input, cells, output) => {
    expect(guard(input, cells)).toBe(output);
  });

  it.each(['-1', '+2', '-1.5', '.5', '-.5', '1e5', '-1E+5', '+3.', '-0'])('keeps the number %s as it is', (n) => {
    expect(guard(`${n},${n},x`, 2)).toBe(`${n},${n},x`);
    expect(guard(`"${n}",x`, 1)).toBe(`"${n}",x`);
  });

  it.each(['-1-', '--1', '-1e', '-e5', '+.', '-1.5.', '- 1', '-1\r', '@1'])('guards %j, which is not a number', (v) => {
    expect(guard(`${v},x`, 1)).toBe(`'${v},x`);
  });

  it.each([
    ['a,b', 3], // fewer fields than text cells
    ['"a,b', 1], // no closing quote
    ['"a"b,c', 1], // bytes after the closing quote
    ['"a",', 3],
  ])('refuses %j with %i text cells', (input, cells) => {
    expect(guard(input, cells)).toBeNull();
  });

  it('looks only at the leading fields: a quote or = later does not matter', () => {
    const buf = Buffer.from('pkg,1.0,"=x",=y');
    expect(leadingTextIsPlain(buf, 0, buf.length, 2)).toBe(true);
    expect(leadingTextIsPlain(buf, 0, buf.length, 3)).toBe(false);
  });
});

const rewrite = (field: string) => {
  const buf = Buffer.from(field);
  const end = finishUtcTimestamp(buf, 0, buf.length);
  return end === -1 ? null : buf.subarray(0, end).toString();
};

describe('finishUtcTimestamp', () => {
  it.each([
    ['x,2026-03-04 05:06:07+00', 'x,2026-03-04T05:06:07Z'],
    ['x,2026-03-04 05:06:07.5+00', 'x,2026-03-04T05:06:07Z'],
    ['x,2026-12-31 23:59:59.999999+00', 'x,2026-12-31T23:59:59Z'],
    ['x,2026-03-04 05:06:07.123+00', 'x,2026-03-04T05:06:07Z'],
    ['2026-03-04 05:06:07+00', '2026-03-04T05:06:07Z'], // the record's only field
  ])('%s → %s (the fraction is dropped, as date_trunc did)', (input, output) => {
    expect(rewrite(input)).toBe(output);
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
