// /analytics/export/retention: the kept months as a timeline (when each goes, which were never exported),
// one click to export a month before it goes, one click to a prefilled monthly archive schedule.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, describeFailure, unwrap } from '../api/client';
import { keys, useDatasets, useRetention } from '../api/queries';
import { Banner } from '../ui/field';

export function RetentionPage() {
  const retention = useRetention();
  const datasets = useDatasets();
  const queryClient = useQueryClient();
  const [dataset, setDataset] = useState('');
  const chosen = dataset || datasets.data?.[0]?.id || 'install_events';
  const exportMonth = useMutation({
    mutationFn: async (m: { from: string; to: string }) =>
      unwrap(
        await api.POST('/v1/exports', {
          body: {
            dataset: chosen as 'install_events',
            format: 'csv',
            from: m.from,
            to: m.to,
            timezone: 'UTC',
            compression: 'gzip',
          },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.exports });
      void queryClient.invalidateQueries({ queryKey: keys.retention });
    },
  });

  if (retention.isPending) return <p role="status">Loading…</p>;
  if (retention.isError) return <Banner>{describeFailure(retention.error)}</Banner>;
  const r = retention.data;
  const unexported = new Set(r.unexported_months.map((m) => m.month));
  const today = r.today;
  // Months any of whose data a pass within the horizon deletes: the ones worth exporting now.
  const horizon = new Date(Date.parse(`${today}T00:00:00Z`) + r.horizon_days * 86_400_000).toISOString().slice(0, 10);
  return (
    <>
      <h1>Retention</h1>
      <p>
        Months marked in orange start to go within {r.horizon_days} days, red ones hold your data and were never
        exported. Data is kept for {r.retention_months} months. Rows dated before{' '}
        <strong data-testid="cutoff">{r.cutoff}</strong> are gone; the daily pass runs at {r.daily_pass.time}{' '}
        {r.daily_pass.timezone}. Next to go completely: <strong>{r.next_deletion.month}</strong> on{' '}
        {r.next_deletion.fully_deleted_on}.
      </p>
      <div className="card row wrap retention-tools">
        <label htmlFor="r-dataset">Dataset for one-click exports</label>
        <select id="r-dataset" className="auto" value={chosen} onChange={(e) => setDataset(e.target.value)}>
          {datasets.data?.map((d) => (
            <option key={d.id} value={d.id}>
              {d.id}
            </option>
          ))}
        </select>
        <Link
          className="button-link"
          href={`/analytics/export/scheduled-reports?archive=monthly&dataset=${chosen}`}
          data-testid="archive-link"
        >
          Create a monthly archive schedule
        </Link>
      </div>
      {exportMonth.isError && <Banner>{describeFailure(exportMonth.error)}</Banner>}
      {exportMonth.isSuccess && (
        <Banner kind="info">
          Export of {exportMonth.data.from} → {exportMonth.data.to} requested.{' '}
          <Link href="/analytics/export">See it on the Export page</Link>.
        </Banner>
      )}
      <ol className="timeline" aria-label="Months kept, oldest first">
        {r.months.map((m) => {
          const going = m.deletion_starts_on <= horizon || unexported.has(m.month);
          return (
            <li
              key={m.month}
              className={`month${unexported.has(m.month) ? ' at-risk' : ''}${going ? ' going' : ''}`}
              data-month={m.month}
            >
              <div className="month-name">{m.month}</div>
              <div className="month-facts">
                <span>
                  kept {m.from} → {m.to}
                </span>
                <span>
                  deletion starts {m.deletion_starts_on}, gone {m.fully_deleted_on}
                </span>
                {unexported.has(m.month) && <span className="badge failed">never exported</span>}
              </div>
              {going && (
                <button
                  type="button"
                  className="secondary"
                  disabled={exportMonth.isPending}
                  onClick={() => exportMonth.mutate(m)}
                >
                  Export {m.month}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
}
