import { Readable } from 'node:stream';
import { CsvRecords, csvHeader } from './csv-records';

async function run(chunks: string[], prefix?: Buffer) {
  const t = new CsvRecords(prefix);
  const out: Buffer[] = [];
  t.on('data', (b: Buffer) => out.push(b));
  await new Promise<void>((resolve, reject) => {
    Readable.from(chunks.map((c) => Buffer.from(c))).pipe(t).on('finish', resolve).on('error', reject);
  });
  return { text: Buffer.concat(out).toString('utf8'), records: t.records };
}

describe('CsvRecords', () => {
  it('ends every record with CRLF and counts records', async () => {
    const r = await run(['a,b\n', 'c,d\n']);
    expect(r.text).toBe('a,b\r\nc,d\r\n');
    expect(r.records).toBe(2);
  });
  it('keeps newlines inside quoted fields and counts the record once', async () => {
    const r = await run(['"x\ny",1\n', '"he said ""hi""\n",2\n']);
    expect(r.text).toBe('"x\ny",1\r\n"he said ""hi""\n",2\r\n');
    expect(r.records).toBe(2);
  });
  it('handles records and quotes split across chunks', async () => {
    const r = await run(['a,"x', '\ny"', ',1\nb,2', '\n']);
    expect(r.text).toBe('a,"x\ny",1\r\nb,2\r\n');
    expect(r.records).toBe(2);
  });
  it('writes the prefix first and coalesces many rows into few chunks', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => `p${i},1.0.0,eu-west,2026-01-01T00:00:00Z\n`);
    const t = new CsvRecords(csvHeader(['a', 'b'], true));
    const sizes: number[] = [];
    const parts: Buffer[] = [];
    t.on('data', (b: Buffer) => (sizes.push(b.length), parts.push(b)));
    await new Promise<void>((resolve) => Readable.from(rows.map((r) => Buffer.from(r))).pipe(t).on('finish', resolve));
    const text = Buffer.concat(parts).toString('utf8');
    expect(text.startsWith('\uFEFFa,b\r\np0,1.0.0')).toBe(true);
    expect(t.records).toBe(50_000);
    expect(sizes.length).toBeLessThan(20);
    expect(text.split('\r\n')).toHaveLength(50_002);
  });
});
