// bull-board at /admin/queues, for admin API keys only. Browsers cannot attach a bearer header to a page
// load, so `?token=<admin token>` is accepted once: it sets an HttpOnly, SameSite=Strict cookie scoped to
// /admin/queues and redirects to the same page without the token (keeping it out of history and referrers).
// The cookie holds the token itself and is checked against the key table on every request, so revoking
// the key ends the session.
import { Router, type Request, type RequestHandler } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { findPrincipalByToken, type Sql } from '@ax/db';
import type { Queues } from '@ax/jobs';
import { ApiError } from './errors';

export const ADMIN_BOARD_PATH = '/admin/queues';
const COOKIE = 'ax_admin_board';
const COOKIE_MAX_AGE_S = 8 * 3600;

const cookieOf = (req: Request, name: string): string | undefined => {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
};

/** 401 without credentials or with an unknown key, 403 for a publisher key. */
function requireAdmin(sql: Sql): RequestHandler {
  return async (req, res, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const query = typeof req.query.token === 'string' ? req.query.token : undefined;
    const token = bearer ?? query ?? cookieOf(req, COOKIE);
    if (!token) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new ApiError(401, 'unauthenticated', `Send an admin API key as "Authorization: Bearer <token>", or open ${ADMIN_BOARD_PATH}?token=<token> once.`);
    }
    const principal = await findPrincipalByToken(sql, token);
    if (!principal) throw new ApiError(401, 'unauthenticated', 'The API key is unknown or revoked.');
    if (principal.role !== 'admin') throw new ApiError(403, 'forbidden', 'The queue dashboard is for admin keys only.');
    if (query !== undefined && !bearer) {
      const secure = req.secure ? '; Secure' : '';
      res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(token)}; Path=${ADMIN_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE_S}${secure}`);
      const rest = new URLSearchParams(Object.entries(req.query).filter(([k, v]) => k !== 'token' && typeof v === 'string') as [string, string][]);
      res.setHeader('Cache-Control', 'no-store');
      return res.redirect(303, `${req.baseUrl}${req.path === '/' ? '' : req.path}${rest.size ? `?${rest}` : ''}` || ADMIN_BOARD_PATH);
    }
    next();
  };
}

export function adminBoardRoutes(deps: { sql: Sql; queues: Queues }): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_BOARD_PATH);
  createBullBoard({
    queues: [deps.queues.exports, deps.queues.reports, deps.queues.retention].map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'analytics-export queues' } },
  });
  const router = Router();
  router.use(requireAdmin(deps.sql), serverAdapter.getRouter());
  return router;
}
