// /analytics/export: the new-export form and the caller's exports. A retention link may prefill the range.
import { useSearch } from 'wouter';
import { useMe } from '../api/queries';
import { ExportForm } from './export-form';
import { ExportsTable } from './exports-table';

export function ExportPage() {
  const me = useMe();
  const params = new URLSearchParams(useSearch());
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  return (
    <>
      <h1>Export</h1>
      <ExportForm
        key={`${from}-${to}`}
        isAdmin={me.data?.role === 'admin'}
        initial={from && to ? { from, to, timezone: 'UTC' } : undefined}
      />
      <ExportsTable />
    </>
  );
}
