// The new-export form: datasets this caller may use (with columns and the oldest day), CSV or JSON, range
// presets in the chosen zone, gzip, BOM, packages, and a publisher for admins. Errors sit beside their field.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiFailure, describeFailure, unwrap, type Schemas } from '../api/client';
import { keys, useDatasets, usePackages, usePublishers } from '../api/queries';
import { browserZone, presets, zones } from '../ui/dates';
import { Banner, described, Field } from '../ui/field';

type Body = Schemas['CreateExport'];

export function ExportForm({ isAdmin, initial }: { isAdmin: boolean; initial?: Partial<Body> }) {
  const datasets = useDatasets();
  const publishers = usePublishers(isAdmin);
  const queryClient = useQueryClient();
  const [dataset, setDataset] = useState<string>(initial?.dataset ?? '');
  const [format, setFormat] = useState<'csv' | 'json'>(initial?.format ?? 'csv');
  const [granularity, setGranularity] = useState<'day' | 'week' | 'month'>('day');
  const [timezone, setTimezone] = useState(initial?.timezone ?? browserZone());
  const [from, setFrom] = useState(initial?.from ?? '');
  const [to, setTo] = useState(initial?.to ?? '');
  const [gzip, setGzip] = useState(false);
  const [bom, setBom] = useState(false);
  const [publisherId, setPublisherId] = useState('');
  const [packageIds, setPackageIds] = useState<string[]>([]);
  const packages = usePackages(isAdmin ? publisherId || null : null);

  const current = datasets.data?.find((d) => d.id === dataset);
  useEffect(() => {
    if (!dataset && datasets.data?.[0]) setDataset(datasets.data[0].id);
  }, [dataset, datasets.data]);
  const choices = useMemo(() => presets(timezone, current?.oldest_available), [timezone, current?.oldest_available]);
  useEffect(() => {
    if (!from && !to && choices[0]) {
      setFrom(choices[0].range.from);
      setTo(choices[0].range.to);
    }
  }, [choices, from, to]);

  const create = useMutation({
    mutationFn: async (body: Body) => unwrap(await api.POST('/v1/exports', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.exports }),
  });
  const failure = create.error instanceof ApiFailure ? create.error : null;
  const err = (field: string) => failure?.fieldError(field);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const filters: NonNullable<Body['filters']> = {};
    if (packageIds.length) filters.package_ids = packageIds;
    if (isAdmin && publisherId) filters.publisher_id = publisherId;
    create.mutate({
      dataset: dataset as Body['dataset'],
      format,
      from,
      to,
      timezone,
      ...(format === 'json' || dataset === 'geographic_summary' ? { granularity } : {}),
      compression: gzip ? 'gzip' : 'none',
      ...(format === 'csv' && bom ? { csv_bom: true } : {}),
      ...(Object.keys(filters).length ? { filters } : {}),
    });
  };
  const usesPackages =
    dataset !== 'reputation_events' && dataset !== 'marketplace_summary' && dataset !== 'leaderboard_history';

  return (
    <form className="card export-form" onSubmit={submit} noValidate aria-labelledby="new-export-title">
      <h2 id="new-export-title">New export</h2>
      <div className="grid">
        <Field
          id="dataset"
          label="Dataset"
          error={err('dataset')}
          hint={
            current && (
              <>
                Columns: <code>{current.columns.join(', ')}</code>. Oldest day kept:{' '}
                <strong data-testid="oldest">{current.oldest_available}</strong>.
              </>
            )
          }
        >
          <select
            {...described('dataset', err('dataset'), Boolean(current))}
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
                <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} />{' '}
                {f.toUpperCase()}
              </label>
            ))}
          </div>
          {err('format') && (
            <p className="field-error" role="alert">
              {err('format')}
            </p>
          )}
        </fieldset>
        {(format === 'json' || dataset === 'geographic_summary') && (
          <Field id="granularity" label="Granularity" error={err('granularity')}>
            <select
              {...described('granularity', err('granularity'))}
              value={granularity}
              onChange={(e) => setGranularity(e.target.value as typeof granularity)}
            >
              <option value="day">Day</option>
              <option value="week">Week (from Monday)</option>
              <option value="month">Month</option>
            </select>
          </Field>
        )}
        <Field id="timezone" label="Time zone" error={err('timezone')}>
          <input
            {...described('timezone', err('timezone'))}
            list="zones"
            value={timezone}
            onChange={(e) => setTimezone(e.target.value)}
          />
        </Field>
      </div>
      <datalist id="zones">
        {zones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <fieldset className="field">
        <legend>Range (from inclusive, to exclusive)</legend>
        <div className="row presets">
          {choices.map((p) => (
            <button
              key={p.id}
              type="button"
              className="chip-button"
              data-preset={p.id}
              aria-pressed={from === p.range.from && to === p.range.to}
              onClick={() => {
                setFrom(p.range.from);
                setTo(p.range.to);
              }}
            >
              {p.label}
            </button>
          ))}
        </div>
        <div className="grid">
          <Field id="from" label="From" error={err('from')}>
            <input
              type="date"
              {...described('from', err('from'))}
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          </Field>
          <Field id="to" label="To" error={err('to')}>
            <input type="date" {...described('to', err('to'))} value={to} onChange={(e) => setTo(e.target.value)} />
          </Field>
        </div>
      </fieldset>
      <div className="grid">
        {isAdmin && (
          <Field id="publisher" label="Publisher (optional)" error={err('filters.publisher_id')}>
            <select
              {...described('publisher', err('filters.publisher_id'))}
              value={publisherId}
              onChange={(e) => {
                setPublisherId(e.target.value);
                setPackageIds([]);
              }}
            >
              <option value="">All publishers</option>
              {publishers.data?.map((p) => (
                <option key={p.publisher_id} value={p.publisher_id}>
                  {p.name ? `${p.name} (${p.publisher_id})` : p.publisher_id}
                </option>
              ))}
            </select>
          </Field>
        )}
        {usesPackages && (
          <Field id="packages" label="Packages (optional; none = all)" error={err('filters.package_ids')}>
            <select
              {...described('packages', err('filters.package_ids'))}
              multiple
              size={Math.min(5, Math.max(2, packages.data?.length ?? 2))}
              value={packageIds}
              onChange={(e) => setPackageIds([...e.target.selectedOptions].map((o) => o.value))}
            >
              {packages.data?.map((p) => (
                <option key={p.package_id} value={p.package_id}>
                  {p.name ? `${p.name} (${p.package_id})` : p.package_id}
                </option>
              ))}
            </select>
          </Field>
        )}
        <fieldset className="field">
          <legend>File</legend>
          <label className="inline">
            <input type="checkbox" checked={gzip} onChange={(e) => setGzip(e.target.checked)} /> Compress (gzip)
          </label>
          {format === 'csv' && (
            <label className="inline">
              <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} /> Byte-order mark (for
              Excel)
            </label>
          )}
        </fieldset>
      </div>
      {create.isError && <Banner>{describeFailure(create.error)}</Banner>}
      {create.isSuccess && <Banner kind="info">Export requested; it appears below.</Banner>}
      <button type="submit" disabled={create.isPending || !dataset}>
        {create.isPending ? 'Requesting…' : 'Export'}
      </button>
    </form>
  );
}
