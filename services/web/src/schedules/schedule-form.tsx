// Create or edit a scheduled report: dataset, format, weekly or monthly (the rule spelled out), zone,
// recipients as chips, compression. The API's field errors sit beside their fields.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiFailure, describeFailure, unwrap, type Schemas } from '../api/client';
import { keys, useDatasets } from '../api/queries';
import { browserZone } from '../ui/dates';
import { Banner, described, Field } from '../ui/field';
import { EmailPreview } from './email-preview';
import { RecipientsInput } from './recipients-input';
import { ruleText, type Frequency } from './rule';

type Schedule = Schemas['Schedule'];
export type ScheduleDraft = Partial<
  Pick<
    Schedule,
    | 'name'
    | 'dataset'
    | 'format'
    | 'frequency'
    | 'timezone'
    | 'granularity'
    | 'compression'
    | 'csv_bom'
    | 'recipients'
    | 'failure_contacts'
  >
>;

export function ScheduleForm({
  editing,
  initial,
  onDone,
}: {
  editing?: Schedule;
  initial?: ScheduleDraft;
  onDone: () => void;
}) {
  const start = editing ?? initial ?? {};
  const datasets = useDatasets();
  const queryClient = useQueryClient();
  const [name, setName] = useState(start.name ?? '');
  const [dataset, setDataset] = useState<string>(start.dataset ?? 'install_events');
  const [format, setFormat] = useState<'csv' | 'json'>(start.format ?? 'csv');
  const [frequency, setFrequency] = useState<Frequency>(start.frequency ?? 'weekly');
  const [timezone, setTimezone] = useState(start.timezone ?? browserZone());
  const [granularity, setGranularity] = useState<'day' | 'week' | 'month'>(start.granularity ?? 'day');
  const [gzip, setGzip] = useState(start.compression === 'gzip');
  const [recipients, setRecipients] = useState<string[]>(start.recipients ?? []);
  const [contacts, setContacts] = useState<string[]>(start.failure_contacts ?? []);

  const save = useMutation({
    mutationFn: async () => {
      const body = {
        name,
        dataset: dataset as Schedule['dataset'],
        format,
        frequency,
        timezone,
        recipients,
        failure_contacts: contacts,
        compression: gzip ? ('gzip' as const) : ('none' as const),
        ...(format === 'json' || dataset === 'geographic_summary' ? { granularity } : {}),
      };
      return editing
        ? unwrap(await api.PATCH('/v1/schedules/{id}', { params: { path: { id: editing.id } }, body }))
        : unwrap(await api.POST('/v1/schedules', { body }));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.schedules });
      onDone();
    },
  });
  const failure = save.error instanceof ApiFailure ? save.error : null;
  const err = (f: string) => failure?.fieldError(f);
  const chipErrorsOf = (field: string): Record<number, string> =>
    Object.fromEntries(
      (failure?.details ?? []).flatMap((d) => {
        const m = new RegExp(`^${field}\\.(\\d+)$`).exec(d.field);
        return m ? [[Number(m[1]), d.message]] : [];
      }),
    );
  const listErrorOf = (field: string, chips: Record<number, string>) =>
    failure?.details
      .filter((d) => d.field === field)
      .map((d) => d.message)
      .join(' ') ||
    (Object.keys(chips).length
      ? failure?.code === 'recipient_unsubscribed'
        ? failure.message
        : 'Fix the marked addresses.'
      : undefined);
  const chipErrors = chipErrorsOf('recipients');
  const listError = listErrorOf('recipients', chipErrors);
  const contactErrors = chipErrorsOf('failure_contacts');
  const contactsError = listErrorOf('failure_contacts', contactErrors);
  // Errors shown beside a field need no banner too.
  const placed =
    failure?.details.length &&
    failure.details.every((d) =>
      /^(name|dataset|timezone|granularity|recipients|failure_contacts)(\.|$)/.test(d.field),
    );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const title = editing ? `Edit “${editing.name || editing.dataset}”` : 'New scheduled report';
  return (
    <form
      className="card"
      onSubmit={submit}
      noValidate
      aria-labelledby="schedule-form-title"
      data-testid="schedule-form"
    >
      <h2 id="schedule-form-title">{title}</h2>
      <div className="grid">
        <Field id="s-name" label="Name" error={err('name')}>
          <input
            {...described('s-name', err('name'))}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Weekly installs"
          />
        </Field>
        <Field id="s-dataset" label="Dataset" error={err('dataset')}>
          <select
            {...described('s-dataset', err('dataset'))}
            value={dataset}
            onChange={(e) => setDataset(e.target.value)}
          >
            {datasets.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.id}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="field">
          <legend>Format</legend>
          <div className="row">
            {(['csv', 'json'] as const).map((f) => (
              <label key={f} className="inline">
                <input type="radio" name="s-format" value={f} checked={format === f} onChange={() => setFormat(f)} />{' '}
                {f.toUpperCase()}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="field">
          <legend>Frequency</legend>
          <div className="row">
            {(['weekly', 'monthly'] as const).map((f) => (
              <label key={f} className="inline">
                <input
                  type="radio"
                  name="s-frequency"
                  value={f}
                  checked={frequency === f}
                  onChange={() => setFrequency(f)}
                />{' '}
                {f === 'weekly' ? 'Weekly' : 'Monthly'}
              </label>
            ))}
          </div>
          <p className="hint" data-testid="rule">
            Runs {ruleText(frequency, timezone)}.
          </p>
        </fieldset>
        <Field id="s-timezone" label="Time zone" error={err('timezone')}>
          <input
            {...described('s-timezone', err('timezone'))}
            list="zones-s"
            value={timezone}
            onChange={(e) => setTimezone(e.target.value)}
          />
        </Field>
        {(format === 'json' || dataset === 'geographic_summary') && (
          <Field id="s-granularity" label="Granularity" error={err('granularity')}>
            <select
              {...described('s-granularity', err('granularity'))}
              value={granularity}
              onChange={(e) => setGranularity(e.target.value as typeof granularity)}
            >
              <option value="day">Day</option>
              <option value="week">Week</option>
              <option value="month">Month</option>
            </select>
          </Field>
        )}
      </div>
      <datalist id="zones-s">
        {(Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone').map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Field id="s-recipients" label="Recipients" error={listError} hint="Type an address and press Enter.">
        <RecipientsInput
          id="s-recipients"
          value={recipients}
          onChange={setRecipients}
          error={listError}
          chipErrors={chipErrors}
          unsubscribed={editing?.unsubscribed}
        />
      </Field>
      <Field
        id="s-contacts"
        label="Failure contacts (optional)"
        error={contactsError}
        hint="Told once if the schedule pauses after failing runs."
      >
        <RecipientsInput
          id="s-contacts"
          label="Failure contacts"
          value={contacts}
          onChange={setContacts}
          error={contactsError}
          chipErrors={contactErrors}
        />
      </Field>
      <label className="inline">
        <input type="checkbox" checked={gzip} onChange={(e) => setGzip(e.target.checked)} /> Compress the file (gzip)
      </label>
      <EmailPreview
        draft={{
          name,
          dataset: dataset as Schedule['dataset'],
          format,
          frequency,
          timezone,
          compression: gzip ? 'gzip' : 'none',
        }}
      />
      {save.isError && !placed && <Banner>{describeFailure(save.error)}</Banner>}
      <div className="row">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : editing ? 'Save changes' : 'Create schedule'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
