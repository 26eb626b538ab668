// A schedule's run history with each recipient's delivery, and "Send a past period now" (backfill or resend)
// with the period picked from the completed ones.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiFailure, describeFailure, unwrap, type Schemas } from '../api/client';
import { keys, useRuns } from '../api/queries';
import { formatInstant } from '../ui/dates';
import { Banner, described, Field } from '../ui/field';
import { completedPeriods } from './rule';

export function ScheduleRuns({ schedule }: { schedule: Schemas['Schedule'] }) {
  const runs = useRuns(schedule.id);
  const queryClient = useQueryClient();
  const periods = completedPeriods(schedule.frequency, schedule.timezone);
  const [period, setPeriod] = useState(periods[0]?.start ?? '');
  const [resend, setResend] = useState(false);
  const send = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/schedules/{id}/runs', {
          params: { path: { id: schedule.id } },
          body: { period_start: period, ...(resend ? { resend: true } : {}) },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.runs(schedule.id) }),
  });
  const failure = send.error instanceof ApiFailure ? send.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  const pid = `period-${schedule.id}`;
  return (
    <div className="runs" data-testid="runs">
      <form className="row wrap" onSubmit={submit} aria-label="Send a past period now">
        <Field id={pid} label="Send a past period now" error={failure?.fieldError('period_start')}>
          <select
            {...described(pid, failure?.fieldError('period_start'))}
            value={period}
            onChange={(e) => setPeriod(e.target.value)}
          >
            {periods.map((p) => (
              <option key={p.start} value={p.start}>
                {p.label}
              </option>
            ))}
          </select>
        </Field>
        <label className="inline">
          <input type="checkbox" checked={resend} onChange={(e) => setResend(e.target.checked)} /> Send again if already
          sent
        </label>
        <button type="submit" disabled={send.isPending}>
          {send.isPending ? 'Sending…' : 'Send now'}
        </button>
      </form>
      {send.isError && !failure?.fieldError('period_start') && <Banner>{describeFailure(send.error)}</Banner>}
      {send.isSuccess && (
        <Banner kind="info">
          Run for {send.data.period_start} → {send.data.period_end}{' '}
          {send.data.status === 'queued' ? 'started' : send.data.status}; its deliveries show below.
        </Banner>
      )}
      {runs.isError && <Banner>{describeFailure(runs.error)}</Banner>}
      {runs.data && runs.data.length === 0 && <p>No runs yet.</p>}
      {runs.data && runs.data.length > 0 && (
        <div className="table-wrap">
          <table className="stack">
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col">Status</th>
                <th scope="col">Finished</th>
                <th scope="col">Deliveries</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <tr key={r.id} data-run-period={r.period_start} data-status={r.status}>
                  <td data-label="Period">
                    {r.period_start} → {r.period_end}
                    {r.resend && <small> (resend)</small>}
                  </td>
                  <td data-label="Status">
                    <span className={`badge ${r.status}`}>{r.status}</span>
                  </td>
                  <td data-label="Finished">{formatInstant(r.finished_at)}</td>
                  <td data-label="Deliveries">
                    <ul className="deliveries">
                      {r.deliveries.map((d) => (
                        <li key={d.recipient} data-recipient={d.recipient} data-status={d.status}>
                          {d.recipient}:{' '}
                          <span className={`badge ${d.status}`}>
                            {d.status === 'suppressed' ? 'Suppressed (unsubscribed)' : d.status}
                          </span>
                          {d.error && <small> {d.error}</small>}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
