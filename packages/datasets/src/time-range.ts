// Range inputs (local dates or RFC 3339) and IANA time zones. (The retention cutoff is @ax/retention's.)
import { DateTime, IANAZone } from 'luxon';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

export const isValidTimeZone = (tz: string): boolean => IANAZone.isValidZone(tz);

/** A `YYYY-MM-DD` means local midnight in `tz`; an RFC 3339 timestamp is taken as is. Null when invalid. */
export function resolveInstant(input: string, tz: string): Date | null {
  if (DATE_RE.test(input)) {
    const d = DateTime.fromISO(input, { zone: tz });
    return d.isValid && d.toISODate() === input ? d.startOf('day').toJSDate() : null;
  }
  if (RFC3339_RE.test(input)) {
    const d = DateTime.fromISO(input, { setZone: true });
    return d.isValid ? d.toJSDate() : null;
  }
  return null;
}
