// Schedule request bodies: the export spec shared with /v1/exports, plus frequency, recipients, name and
// paused. Recipients are validated addresses (no CR/LF or header tricks), at most 50, de-duplicated.
import { z } from 'zod';
import { frequencies } from '@ax/datasets';
import { badRequest, type ErrorDetail } from './errors';
import { exportShape } from './export-request';

export const MAX_RECIPIENTS = 50;
export const MAX_FAILURE_CONTACTS = 10;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const noControl = /^[^\u0000-\u001f\u007f]*$/;
// Plain addresses only: no display names, comments, quoted local parts or line breaks.
const recipient = z
  .string()
  .max(254, 'Must be at most 254 characters.')
  .regex(noControl, 'Must not contain control characters such as line breaks.')
  .pipe(z.email('Must be an e-mail address such as "ops@example.com".'));

const scheduleShape = {
  ...exportShape,
  frequency: z.enum(frequencies),
  recipients: z
    .array(recipient)
    .min(1, 'At least one recipient.')
    .max(MAX_RECIPIENTS, `At most ${MAX_RECIPIENTS} recipients.`),
  name: z.string().max(200).regex(noControl, 'Must not contain control characters such as line breaks.').default(''),
  // Who hears (once) when the schedule is paused for failing (§6.4).
  failure_contacts: z
    .array(recipient)
    .max(MAX_FAILURE_CONTACTS, `At most ${MAX_FAILURE_CONTACTS} failure contacts.`)
    .default([]),
};

export const createScheduleSchema = z.object(scheduleShape).strict();
export type CreateScheduleBody = z.infer<typeof createScheduleSchema>;

const undefaulted = <T extends z.ZodType>(t: T) => (t instanceof z.ZodDefault ? (t.unwrap() as z.ZodType) : t);
export const patchScheduleSchema = z
  .object({
    ...Object.fromEntries(Object.entries(scheduleShape).map(([k, v]) => [k, undefaulted(v).optional()])),
    paused: z.boolean().optional(),
  })
  .strict() as unknown as z.ZodType<Partial<CreateScheduleBody> & { paused?: boolean }>;

export const backfillSchema = z
  .object({
    period_start: z.iso.date('Must be a date YYYY-MM-DD.'),
    resend: z.boolean().default(false),
  })
  .strict();

/** Removes duplicates (case-insensitively, first spelling kept) and enforces the optional domain allow-list. */
export function normalizeRecipients(recipients: string[], allowedDomains: string[], field = 'recipients'): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const details: ErrorDetail[] = [];
  recipients.forEach((r, i) => {
    const domain = r.slice(r.lastIndexOf('@') + 1).toLowerCase();
    if (allowedDomains.length && !allowedDomains.includes(domain))
      details.push({
        field: `${field}.${i}`,
        message: `The domain ${domain} is not allowed; allowed: ${allowedDomains.join(', ')}.`,
      });
    if (seen.has(r.toLowerCase())) return;
    seen.add(r.toLowerCase());
    out.push(r);
  });
  if (details.length) throw badRequest(details);
  return out;
}

export const parseDomainList = (csv: string): string[] =>
  csv
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
