// Paths of scheduled reports, and what their e-mails link to: signed report links and unsubscribing.
import { listSchedulesQuery } from '../routes/schedules';
import { queryParameters, ok, html, errors, tokenParam, idParam, body, op, open, type Paths } from './parts';

export const schedulePaths: Paths = {
  '/v1/schedules': {
    post: op('createSchedule', {
      tags: ['schedules'],
      summary: 'Create a scheduled report (422 limit_reached past SCHEDULES_PER_PUBLISHER live schedules)',
      requestBody: body('CreateSchedule'),
      responses: { 201: ok('Created', 'Schedule'), ...errors(400, 401, 403, 404, 422) },
    }),
    get: op('listSchedules', {
      tags: ['schedules'],
      summary: 'List schedules',
      parameters: queryParameters(listSchedulesQuery),
      responses: { 200: ok('A page of schedules', 'ScheduleList'), ...errors(400, 401) },
    }),
  },
  '/v1/schedules/preview-email': {
    post: op('previewScheduleEmail', {
      tags: ['schedules'],
      summary:
        "The e-mail a schedule's recipients get, from the real template, for the last completed period (example figures; nothing is sent)",
      requestBody: body('EmailPreviewRequest'),
      responses: { 200: ok('The rendered e-mail', 'EmailPreview'), ...errors(400, 401, 403) },
    }),
  },
  '/v1/schedules/{id}': {
    get: op('getSchedule', {
      tags: ['schedules'],
      summary: 'One schedule',
      parameters: [idParam('schedule')],
      responses: { 200: ok('The schedule', 'Schedule'), ...errors(401, 404) },
    }),
    patch: op('updateSchedule', {
      tags: ['schedules'],
      summary:
        'Change a schedule (any field, and `paused`); adding back an unsubscribed recipient → 422 recipient_unsubscribed',
      parameters: [idParam('schedule')],
      requestBody: body('PatchSchedule'),
      responses: { 200: ok('The schedule', 'Schedule'), ...errors(400, 401, 403, 404, 422) },
    }),
    delete: op('deleteSchedule', {
      tags: ['schedules'],
      summary: 'Delete a schedule (its e-mailed links stop working)',
      parameters: [idParam('schedule')],
      responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
    }),
  },
  '/v1/schedules/{id}/runs': {
    get: op('listScheduleRuns', {
      tags: ['schedules'],
      summary: 'Runs of a schedule with their deliveries',
      parameters: [idParam('schedule')],
      responses: { 200: ok('Runs', 'RunList'), ...errors(401, 404) },
    }),
    post: op('runSchedule', {
      tags: ['schedules'],
      summary: 'Run the report now for a completed period (backfill)',
      parameters: [idParam('schedule')],
      requestBody: body('Backfill'),
      responses: {
        200: ok('The existing run for this period', 'Run'),
        202: ok('A new run was started', 'Run'),
        ...errors(400, 401, 403, 404, 422, 429, 503),
      },
    }),
  },
  '/v1/report-links/{token}': {
    get: open('followReportLink', {
      tags: ['schedules'],
      summary:
        'The download link in report e-mails: one signed token per delivery (recipient and run), no bearer token',
      parameters: [tokenParam],
      responses: {
        302: { description: 'Redirect to a short-lived signed URL of the file' },
        403: html(
          'Tampered or expired token; the expiry is never honoured beyond LINK_TTL_DAYS from the send (an HTML page)',
        ),
        410: html(
          'The schedule was deleted, or the file is gone or expired (an HTML page; with Accept: application/json an expired file is the error `expired`)',
        ),
      },
    }),
  },
  '/v1/unsubscribe/{token}': {
    get: open('showUnsubscribe', {
      tags: ['schedules'],
      summary: 'Unsubscribe page of a report e-mail: a button, changes nothing',
      parameters: [tokenParam],
      responses: {
        200: html('The page with an Unsubscribe (or Undo) button'),
        403: html('Tampered token'),
        410: html('The schedule was deleted'),
      },
    }),
    post: open('unsubscribe', {
      tags: ['schedules'],
      summary: 'Unsubscribe this address from this schedule (the button, or RFC 8058 one-click)',
      parameters: [tokenParam],
      responses: {
        200: html('Unsubscribed; the page offers Undo'),
        403: html('Tampered token'),
        410: html('The schedule was deleted'),
      },
    }),
  },
  '/v1/unsubscribe/{token}/undo': {
    post: open('undoUnsubscribe', {
      tags: ['schedules'],
      summary: 'Undo an unsubscribe (only the recipient can)',
      parameters: [tokenParam],
      responses: { 200: html('Subscribed again'), 403: html('Tampered token'), 410: html('The schedule was deleted') },
    }),
  },
};
