// Text helpers of the e-mail templates (HTML escaping is the escape-html library's, as in the API's pages).

/** Header-safe single line: control characters (CR, LF, …) become spaces. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
