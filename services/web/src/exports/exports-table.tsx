// The caller's exports: status with live progress, size, sha256 to copy, download, cancel, and a chart for JSON.
import { lazy, Suspense, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, describeFailure, unwrap, type Schemas } from '../api/client';
import { keys, useExports } from '../api/queries';
import { formatBytes, formatInstant } from '../ui/dates';
import { Banner } from '../ui/field';

// The chart library is large: load it only when a chart is opened.
const ExportChart = lazy(() => import('./export-chart').then((m) => ({ default: m.ExportChart })));

type Export = Schemas['Export'];

const STATUS_LABEL: Record<Export['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

function Sha({ sha }: { sha: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(sha).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <span className="sha">
      <code title={sha} data-testid="sha256" data-sha={sha}>
        {sha.slice(0, 12)}…
      </code>
      <button type="button" className="link" onClick={() => void copy()} aria-label={`Copy sha256 ${sha}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}

export function ExportsTable() {
  const exports = useExports();
  const queryClient = useQueryClient();
  const [chartOf, setChartOf] = useState<Export | null>(null);
  const cancel = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/v1/exports/{id}', { params: { path: { id } } })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.exports }),
  });

  if (exports.isPending) return <p role="status">Loading exports…</p>;
  if (exports.isError) return <Banner>{describeFailure(exports.error)}</Banner>;
  return (
    <section className="card" aria-labelledby="exports-title">
      <h2 id="exports-title">Your exports</h2>
      {cancel.isError && <Banner>{describeFailure(cancel.error)}</Banner>}
      {exports.data.length === 0 ? (
        <p>No exports yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="exports stack">
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Dataset</th>
                <th scope="col">Range</th>
                <th scope="col">Status</th>
                <th scope="col">Rows</th>
                <th scope="col">Size</th>
                <th scope="col">sha256</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {exports.data.map((e) => (
                <tr key={e.id} data-export-id={e.id} data-status={e.status}>
                  <td data-label="Requested">{formatInstant(e.created_at)}</td>
                  <td data-label="Dataset">
                    {e.dataset}
                    <br />
                    <small>
                      {e.format.toUpperCase()}
                      {e.compression === 'gzip' ? ' · gzip' : ''}
                      {e.format === 'json' ? ` · ${e.granularity}` : ''}
                    </small>
                  </td>
                  <td data-label="Range">
                    {e.from} → {e.to}
                    <br />
                    <small>{e.timezone}</small>
                  </td>
                  <td data-label="Status">
                    <span className={`badge ${e.status}`} data-testid="status">
                      {STATUS_LABEL[e.status]}
                    </span>
                    {e.error && (
                      <>
                        <br />
                        <small>{e.error.message}</small>
                      </>
                    )}
                    {e.status === 'expired' && (
                      <>
                        <br />
                        <small>
                          File deleted{e.result?.expired_at ? ` ${formatInstant(e.result.expired_at)}` : ''}; run the
                          export again for a new one.
                        </small>
                      </>
                    )}
                  </td>
                  <td data-label="Rows" data-testid="rows">
                    {(e.result?.row_count ?? e.progress.rows_written).toLocaleString()}
                  </td>
                  <td data-label="Size">{formatBytes(e.result?.bytes)}</td>
                  <td data-label="sha256">{e.result ? <Sha sha={e.result.sha256} /> : '—'}</td>
                  <td data-label="Actions">
                    <div className="actions-box">
                      {e.status === 'succeeded' && (
                        <a className="button-link" href={`/v1/exports/${e.id}/download`} download>
                          Download
                        </a>
                      )}
                      {e.status === 'succeeded' && e.format === 'json' && (
                        <button type="button" className="secondary" onClick={() => setChartOf(e)}>
                          Chart
                        </button>
                      )}
                      {(e.status === 'queued' || e.status === 'running') && (
                        <button
                          type="button"
                          className="secondary"
                          disabled={cancel.isPending}
                          onClick={() => cancel.mutate(e.id)}
                        >
                          Cancel
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {chartOf && (
        <Suspense fallback={<p role="status">Loading the chart…</p>}>
          <ExportChart exportRow={chartOf} onClose={() => setChartOf(null)} />
        </Suspense>
      )}
    </section>
  );
}
