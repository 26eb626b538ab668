// Reading exported CSV in tests with a real RFC 4180 parser (fast-csv), plus a check of the line ends
// outside quoted fields, which a lenient parser would not notice.
import { parseString } from 'fast-csv';

export function parseCsv(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString<string[], string[]>(text, { headers: false, strictColumnHandling: false })
      .on('error', reject)
      .on('data', (row: string[]) => rows.push(row))
      .on('end', () => resolve(rows));
  });
}

/** Every record ends with CRLF; a bare CR or LF may appear only inside a quoted field. */
export function recordEndsAreCrlf(text: string): boolean {
  const outside = text.replace(/"(?:[^"]|"")*"/g, '""');
  return outside.endsWith('\r\n') && !/\r(?!\n)|(?<!\r)\n/.test(outside);
}

/** The CSV of a download: exactly one leading BOM when `bom`, none otherwise; the text after it. */
export function stripBom(bytes: Buffer, bom: boolean): string {
  const text = bytes.toString('utf8');
  if (!bom) {
    if (text.startsWith('\uFEFF')) throw new Error('unexpected BOM');
    return text;
  }
  if (!text.startsWith('\uFEFF') || text.startsWith('\uFEFF\uFEFF')) throw new Error('expected exactly one BOM');
  return text.slice(1);
}
