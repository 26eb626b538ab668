// Authentication: a bearer API key (programs) or the web page's session cookie (CONTRACT §6.2). Either way
// the caller becomes a Principal; a cookie-authenticated change must also carry X-Requested-With: ax-web.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { findPrincipalBySession, findPrincipalByToken, type Principal, type Sql, type Viewer } from '@ax/db';
import { ApiError } from './errors';

export const SESSION_COOKIE = 'ax_session';
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'ax-web';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AuthMethod = 'bearer' | 'session';

export const cookieOf = (req: Request, name: string): string | undefined => {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
};

export const bearerOf = (req: Request): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

/** The caller from a bearer token (preferred) or the session cookie; null when neither is present. Throws 401/403. */
export async function authenticate(sql: Sql, req: Request, res: Response): Promise<Principal | null> {
  const bearer = bearerOf(req);
  if (bearer) {
    const principal = await findPrincipalByToken(sql, bearer);
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new ApiError(401, 'unauthenticated', 'The API key is unknown or revoked.');
    }
    res.locals.authMethod = 'bearer' satisfies AuthMethod;
    return principal;
  }
  const sessionId = cookieOf(req, SESSION_COOKIE);
  if (!sessionId) return null;
  const principal = await findPrincipalBySession(sql, sessionId);
  if (!principal) throw new ApiError(401, 'session_expired', 'The session has expired or was ended; sign in again.');
  if (!SAFE_METHODS.has(req.method) && req.header(CSRF_HEADER) !== CSRF_VALUE)
    throw new ApiError(
      403,
      'csrf_required',
      `A change made with the session cookie needs the header "X-Requested-With: ${CSRF_VALUE}".`,
    );
  res.locals.authMethod = 'session' satisfies AuthMethod;
  return { keyId: principal.keyId, role: principal.role, publisherId: principal.publisherId };
}

export function requireAuth(sql: Sql): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const principal = await authenticate(sql, req, res);
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new ApiError(401, 'unauthenticated', 'Send an API key as "Authorization: Bearer <token>", or sign in.');
    }
    res.locals.principal = principal;
    next();
  };
}

export const principalOf = (res: Response): Principal => {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new ApiError(401, 'unauthenticated', 'Not authenticated.');
  return principal;
};

/** What a caller may see of owned objects: publishers their own, admins all. */
export const viewerOf = (p: Principal): Viewer =>
  p.role === 'admin' ? { role: 'admin' } : { role: 'publisher', publisherId: p.publisherId ?? '' };
