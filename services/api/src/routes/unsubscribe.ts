// /v1/unsubscribe/<token> (CONTRACT §6.4, RFC 8058). The signed token is the credential (no bearer token).
// GET only shows a page with a button: mail scanners open links, and a GET must change nothing. POST (the
// button, or a mail client's one-click POST) unsubscribes the address from that schedule; /undo reverses it.
import { Router, type Request, type Response } from 'express';
import { datasetTitle } from '@ax/datasets';
import { getScheduleAnyState, isUnsubscribed, undoUnsubscribe, unsubscribe, type ScheduleRow, type Sql } from '@ax/db';
import { verifyUnsubscribe } from '@ax/storage';
import { goneReportPage, sendRecipientPage, type RecipientPage } from '../recipient-page';

export type UnsubscribeDeps = { sql: Sql; linkSecret: string };

const reportName = (s: ScheduleRow) =>
  `the ${s.frequency} report on ${datasetTitle(s.dataset)}${s.name ? ` "${s.name}"` : ''}`;
const actionOf = (token: string, undo = false) => `/v1/unsubscribe/${encodeURIComponent(token)}${undo ? '/undo' : ''}`;

const leftPage = (s: ScheduleRow, address: string, token: string): RecipientPage => ({
  title: 'You are unsubscribed',
  paragraphs: [`${address} will get no more e-mail from ${reportName(s)}.`, 'Clicked by mistake? You can undo it.'],
  form: { action: actionOf(token, true), button: 'Undo: keep getting this report' },
});

const subscribedPage = (s: ScheduleRow, address: string, token: string, again: boolean): RecipientPage => ({
  title: again ? 'You are subscribed again' : 'Unsubscribe from this report?',
  paragraphs: [
    again ? `${address} will get ${reportName(s)} again.` : `${address} gets ${reportName(s)}.`,
    'Press the button to stop getting it. Other reports are not affected.',
  ],
  form: { action: actionOf(token), button: 'Unsubscribe' },
});

export function unsubscribeRoutes(deps: UnsubscribeDeps): Router {
  const router = Router();

  /** The token's schedule and address, or null when a page has been sent (invalid link, schedule gone). */
  const resolve = async (req: Request, res: Response) => {
    const token = String(req.params.token);
    const check = verifyUnsubscribe(deps.linkSecret, token);
    if (!check.ok) {
      sendRecipientPage(res, 403, {
        title: 'This link is not valid',
        paragraphs: [
          'The link is incomplete or was changed. Use the unsubscribe link exactly as it appears in the e-mail.',
        ],
      });
      return null;
    }
    const schedule = await getScheduleAnyState(deps.sql, check.scheduleId);
    if (!schedule || schedule.deleted_at) {
      sendRecipientPage(res, 410, {
        ...goneReportPage('This report was deleted by its owner.'),
        paragraphs: [
          'This report was deleted by its owner, so it sends no more e-mail to anyone. There is nothing to unsubscribe from.',
        ],
      });
      return null;
    }
    return { token, schedule, address: check.recipient };
  };

  router.get('/:token', async (req, res) => {
    const found = await resolve(req, res);
    if (!found) return;
    const { token, schedule, address } = found;
    if (await isUnsubscribed(deps.sql, schedule.id, address))
      return sendRecipientPage(res, 200, leftPage(schedule, address, token));
    sendRecipientPage(res, 200, subscribedPage(schedule, address, token, false));
  });

  router.post('/:token', async (req, res) => {
    const found = await resolve(req, res);
    if (!found) return;
    await unsubscribe(deps.sql, found.schedule.id, found.address);
    sendRecipientPage(res, 200, leftPage(found.schedule, found.address, found.token));
  });

  router.post('/:token/undo', async (req, res) => {
    const found = await resolve(req, res);
    if (!found) return;
    await undoUnsubscribe(deps.sql, found.schedule.id, found.address);
    sendRecipientPage(res, 200, subscribedPage(found.schedule, found.address, found.token, true));
  });

  return router;
}
