// /v1/sessions: the web page trades an API key for an opaque session cookie (CONTRACT §6.2). The cookie never
// holds the key; only the session id's hash is stored, and the session ends with the key or after 12 hours.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { createSession, deleteSession, findPrincipalByToken, type Sql } from '@ax/db';
import { CSRF_HEADER, CSRF_VALUE, SESSION_COOKIE, cookieOf } from '../auth';
import { ApiError, badRequest, zodDetails } from '../errors';

export const createSessionSchema = z.object({ token: z.string().min(1).max(500) }).strict();

const cookieHeader = (req: Request, value: string, maxAgeS: number) =>
  `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${req.secure ? '; Secure' : ''}`;

export function sessionRoutes(deps: { sql: Sql; now?: () => Date }): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const parsed = createSessionSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badRequest(zodDetails(parsed.error));
    const principal = await findPrincipalByToken(deps.sql, parsed.data.token);
    if (!principal) throw new ApiError(401, 'unauthenticated', 'The API key is unknown or revoked.');
    const session = await createSession(deps.sql, principal.keyId);
    const maxAge = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    res.setHeader('Set-Cookie', cookieHeader(req, session.id, maxAge));
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(201)
      .json({ role: principal.role, publisher_id: principal.publisherId, expires_at: session.expiresAt.toISOString() });
  });
  router.delete('/current', async (req: Request, res: Response) => {
    const id = cookieOf(req, SESSION_COOKIE);
    if (id !== undefined && req.header(CSRF_HEADER) !== CSRF_VALUE)
      throw new ApiError(
        403,
        'csrf_required',
        `Signing out with the session cookie needs the header "X-Requested-With: ${CSRF_VALUE}".`,
      );
    if (id) await deleteSession(deps.sql, id);
    res.setHeader('Set-Cookie', cookieHeader(req, '', 0));
    res.status(204).end();
  });
  return router;
}
