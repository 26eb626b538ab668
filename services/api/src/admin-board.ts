// bull-board at /admin/queues, for admins only: a bearer admin key, or the web page's session cookie of an
// admin key (sign in at /sign-in). No API key is ever accepted from the query string or kept in a cookie.
import { Router, type RequestHandler } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Sql } from '@ax/db';
import type { Queues } from '@ax/jobs';
import { authenticate } from './auth';
import { ApiError } from './errors';

export const ADMIN_BOARD_PATH = '/admin/queues';

/** 401 without credentials or with an unknown key/session (a browser page load goes to sign-in), 403 for a publisher. */
function requireAdmin(sql: Sql): RequestHandler {
  return async (req, res, next) => {
    const principal = await authenticate(sql, req, res);
    if (!principal) {
      if (req.method === 'GET' && req.accepts(['json', 'html']) === 'html')
        return res.redirect(303, `/sign-in?next=${encodeURIComponent(ADMIN_BOARD_PATH)}`);
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new ApiError(
        401,
        'unauthenticated',
        `Send an admin API key as "Authorization: Bearer <token>", or sign in at /sign-in.`,
      );
    }
    if (principal.role !== 'admin') throw new ApiError(403, 'forbidden', 'The queue dashboard is for admin keys only.');
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
  router.use(requireAdmin(deps.sql), serverAdapter.getRouter() as RequestHandler);
  return router;
}
