// Bearer authentication: the token's hash identifies an API key and so the caller's role and publisher.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { findPrincipalByToken, type Principal, type Sql, type Viewer } from '@ax/db';
import { ApiError } from './errors';

export function requireAuth(sql: Sql): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new ApiError(401, 'unauthenticated', 'Send an API key as "Authorization: Bearer <token>".');
    }
    const principal = await findPrincipalByToken(sql, match[1]!);
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new ApiError(401, 'unauthenticated', 'The API key is unknown or revoked.');
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
