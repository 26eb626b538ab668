// A finished JSON export drawn the way the analytics charts show it: one bar per period for each count metric,
// with the same numbers in a table beneath (readable without the picture).
import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, describeFailure, unwrap, type Schemas } from '../api/client';
import { Banner } from '../ui/field';

const COLORS = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)'];

/** The numeric metrics of a period (nested objects like rating_counts stay in the table's JSON). */
const numbers = (metrics: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number')) as Record<string, number>;

export function ExportChart({ exportRow, onClose }: { exportRow: Schemas['Export']; onClose: () => void }) {
  const file = useQuery({
    queryKey: ['export-json', exportRow.id],
    queryFn: async () => unwrap(await api.GET('/v1/exports/{id}/json', { params: { path: { id: exportRow.id } } })),
    staleTime: Infinity,
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const rows = file.data?.periods.map((p) => ({ period: p.period_start, ...numbers(p.metrics) })) ?? [];
  const series = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k !== 'period')))];
  return (
    <section className="chart card" aria-labelledby="chart-title" data-testid="chart">
      <div className="row between">
        <h3 id="chart-title" ref={heading} tabIndex={-1}>
          {exportRow.dataset} by {exportRow.granularity}, {exportRow.from} → {exportRow.to} ({exportRow.timezone})
        </h3>
        <button type="button" className="secondary" onClick={onClose}>
          Close chart
        </button>
      </div>
      {file.isPending && <p role="status">Loading the file…</p>}
      {file.isError && <Banner>{describeFailure(file.error)}</Banner>}
      {file.data && (
        <>
          <p data-testid="period-count">{file.data.periods.length} periods</p>
          <div className="chart-box">
            <ResponsiveContainer width="100%" height={280}>
              <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                <XAxis dataKey="period" stroke="var(--muted)" fontSize={12} />
                <YAxis stroke="var(--muted)" fontSize={12} allowDecimals={false} />
                <Tooltip
                  contentStyle={{
                    background: 'var(--surface)',
                    border: '1px solid var(--border)',
                    color: 'var(--text)',
                  }}
                />
                <Legend />
                {series.map((s, i) => (
                  <Bar key={s} dataKey={s} fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
          <details>
            <summary>The numbers</summary>
            <div className="table-wrap">
              <table data-testid="periods">
                <thead>
                  <tr>
                    <th scope="col">Period</th>
                    {series.map((s) => (
                      <th key={s} scope="col">
                        {s}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.period}>
                      <th scope="row">{r.period}</th>
                      {series.map((s) => (
                        <td key={s}>{((r as Record<string, unknown>)[s] as number) ?? 0}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
