// The CSV header line (CONTRACT §3 columns), with the optional UTF-8 byte-order mark before it.
export const csvHeader = (columns: readonly string[], bom: boolean): Buffer =>
  Buffer.from(`${bom ? '\uFEFF' : ''}${columns.join(',')}\r\n`, 'utf8');
