// Who may export what (CONTRACT §3). Pure: the queries enforce the resulting scope.
import type { Dataset } from './types';

export type Caller = { role: 'admin' | 'publisher'; publisherId: string | null };

export const mayExport = (caller: Caller, dataset: Dataset): boolean => caller.role === 'admin' || !dataset.adminOnly;

/** The publisher a caller's export is restricted to: its own, or the admin's optional filter. */
export function effectivePublisher(caller: Caller, filterPublisherId: string | undefined): string | null {
  if (caller.role === 'publisher') return caller.publisherId;
  return filterPublisherId ?? null;
}
