// /analytics/export/scheduled-reports: the list (next run in local time, last outcome, paused), create, edit,
// pause/resume, delete with a confirmation, and each schedule's runs. `?archive=monthly` opens a prefilled
// monthly archive (from the retention page).
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSearch } from 'wouter';
import { api, describeFailure, unwrap, type Schemas } from '../api/client';
import { keys, useRuns, useSchedules } from '../api/queries';
import { formatInstant } from '../ui/dates';
import { Banner } from '../ui/field';
import { ScheduleForm, type ScheduleDraft } from './schedule-form';
import { ScheduleRuns } from './schedule-runs';
import { ruleText } from './rule';

type Schedule = Schemas['Schedule'];

const PAUSED_BECAUSE: Record<NonNullable<Schedule['paused_reason']>, string> = {
  user: 'Paused by you',
  failing: 'Paused: failing runs',
  creator_key_revoked: 'Paused: the key that created it was revoked',
};
const pausedText = (s: Schedule) => (s.paused ? PAUSED_BECAUSE[s.paused_reason ?? 'user'] : 'Active');

/** The recipients, each one who unsubscribed marked (they get nothing; only they can undo it). */
function Recipients({ schedule }: { schedule: Schedule }) {
  const left = new Set(schedule.unsubscribed);
  return (
    <>
      <ul className="recipients-list">
        {schedule.recipients.map((r) => (
          <li key={r} data-recipient={r} data-unsubscribed={left.has(r.toLowerCase()) || undefined}>
            {r}
            {left.has(r.toLowerCase()) && <span className="unsubscribed-mark"> (unsubscribed)</span>}
          </li>
        ))}
      </ul>
      {schedule.unsubscribed.length > 0 && (
        <small data-testid="unsubscribed">Unsubscribed: {schedule.unsubscribed.join(', ')}</small>
      )}
    </>
  );
}

function LastRun({ id }: { id: string }) {
  const runs = useRuns(id);
  const last = runs.data?.[0];
  return last ? (
    <>
      <span className={`badge ${last.status}`}>{last.status}</span> <small>{last.period_start}</small>
    </>
  ) : (
    <span>—</span>
  );
}

function ConfirmDelete({ schedule, onClose }: { schedule: Schedule; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const del = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/v1/schedules/{id}', { params: { path: { id: schedule.id } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.schedules });
      onClose();
    },
  });
  useEffect(() => ref.current?.showModal(), []);
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="confirm-title">
      <h2 id="confirm-title">Delete “{schedule.name || schedule.dataset}”?</h2>
      <p>No more reports will be sent, and links in e-mails already sent stop working.</p>
      {del.isError && <Banner>{describeFailure(del.error)}</Banner>}
      <div className="row">
        <button type="button" className="danger" onClick={() => del.mutate()} disabled={del.isPending}>
          Delete
        </button>
        <button type="button" className="secondary" autoFocus onClick={() => ref.current?.close()}>
          Keep it
        </button>
      </div>
    </dialog>
  );
}

export function SchedulesPage() {
  const schedules = useSchedules();
  const queryClient = useQueryClient();
  const params = new URLSearchParams(useSearch());
  const archive: ScheduleDraft | undefined =
    params.get('archive') === 'monthly'
      ? {
          name: 'Monthly archive',
          frequency: 'monthly',
          format: 'csv',
          compression: 'gzip',
          dataset: (params.get('dataset') ?? 'install_events') as Schedule['dataset'],
        }
      : undefined;
  const [form, setForm] = useState<{ editing?: Schedule; initial?: ScheduleDraft } | null>(
    archive ? { initial: archive } : null,
  );
  const [open, setOpen] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  const pause = useMutation({
    mutationFn: async (s: Schedule) =>
      unwrap(await api.PATCH('/v1/schedules/{id}', { params: { path: { id: s.id } }, body: { paused: !s.paused } })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.schedules }),
  });

  return (
    <>
      <h1>Scheduled Reports</h1>
      {!form && (
        <button type="button" onClick={() => setForm({})}>
          New schedule
        </button>
      )}
      {form && (
        <ScheduleForm
          key={form.editing?.id ?? 'new'}
          editing={form.editing}
          initial={form.initial}
          onDone={() => setForm(null)}
        />
      )}
      {pause.isError && <Banner>{describeFailure(pause.error)}</Banner>}
      {schedules.isPending && <p role="status">Loading schedules…</p>}
      {schedules.isError && <Banner>{describeFailure(schedules.error)}</Banner>}
      {schedules.data?.length === 0 && <p>No scheduled reports yet.</p>}
      <ul className="schedules">
        {schedules.data?.map((s) => (
          <li key={s.id} className="card schedule" data-schedule-id={s.id} data-paused={s.paused}>
            <div className="row between wrap">
              <h2>{s.name || s.dataset}</h2>
              <span className={`badge ${s.paused ? 'paused' : 'active'}`} data-testid="paused-reason">
                {pausedText(s)}
              </span>
            </div>
            <p>
              {s.dataset} · {s.format.toUpperCase()}
              {s.compression === 'gzip' ? ' · gzip' : ''} · runs {ruleText(s.frequency, s.timezone)}
            </p>
            <dl className="facts">
              <div>
                <dt>Next run</dt>
                <dd data-testid="next-run">{s.paused ? '— (paused)' : formatInstant(s.next_run_at)}</dd>
              </div>
              <div>
                <dt>Last run</dt>
                <dd>
                  <LastRun id={s.id} />
                </dd>
              </div>
              <div>
                <dt>Recipients</dt>
                <dd>
                  <Recipients schedule={s} />
                </dd>
              </div>
              {s.failure_contacts.length > 0 && (
                <div>
                  <dt>Failure contacts</dt>
                  <dd>{s.failure_contacts.join(', ')}</dd>
                </div>
              )}
            </dl>
            <div className="row wrap">
              <button type="button" className="secondary" onClick={() => setForm({ editing: s })}>
                Edit
              </button>
              <button type="button" className="secondary" disabled={pause.isPending} onClick={() => pause.mutate(s)}>
                {s.paused ? 'Resume' : 'Pause'}
              </button>
              <button
                type="button"
                className="secondary"
                aria-expanded={open === s.id}
                onClick={() => setOpen(open === s.id ? null : s.id)}
              >
                Runs
              </button>
              <button type="button" className="danger" onClick={() => setDeleting(s)}>
                Delete
              </button>
            </div>
            {open === s.id && <ScheduleRuns schedule={s} />}
          </li>
        ))}
      </ul>
      {deleting && <ConfirmDelete schedule={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}
