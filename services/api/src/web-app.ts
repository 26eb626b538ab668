// Serves the built web page (services/web/dist) at the paths of CONTRACT §6.2: hashed assets with a year-long
// immutable cache, the page itself never cached, and a Content-Security-Policy with no inline script and no
// other origin. `/` goes to the export page with a session, else to sign-in.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { findPrincipalBySession, type Sql } from '@ax/db';
import type { Logger } from '@ax/runtime';
import { SESSION_COOKIE, cookieOf } from './auth';

export const WEB_PATHS = [
  '/sign-in',
  '/analytics/export',
  '/analytics/export/scheduled-reports',
  '/analytics/export/retention',
];
/** The page's own router handles any other path below /analytics/export (the SPA fallback). */
const PAGE_ROUTES = ['/sign-in', '/analytics/export', '/analytics/export/{*rest}'];
/** The built page: services/web/dist beside the sources, or dist/web beside the bundled API (scripts/build.ts). */
export const DEFAULT_WEB_DIST =
  [join(__dirname, '..', '..', 'web', 'dist'), join(__dirname, '..', 'web')].find((dir) =>
    existsSync(join(dir, 'index.html')),
  ) ?? join(__dirname, '..', '..', 'web', 'dist');

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  next();
};

export function webAppRoutes(deps: { sql: Sql; logger: Logger; dist?: string }): Router {
  const dist = deps.dist ?? DEFAULT_WEB_DIST;
  const router = Router();
  const indexFile = join(dist, 'index.html');
  router.get('/', async (req, res) => {
    const id = cookieOf(req, SESSION_COOKIE);
    const signedIn = id ? Boolean(await findPrincipalBySession(deps.sql, id)) : false;
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, signedIn ? '/analytics/export' : '/sign-in');
  });
  if (!existsSync(indexFile)) {
    deps.logger.warn({ dist }, 'web page not built (pnpm build:web); its paths answer 503');
    router.get(
      PAGE_ROUTES,
      (_req, res) => void res.status(503).type('text').send('The web page is not built: run pnpm build:web.\n'),
    );
    return router;
  }
  const index = readFileSync(indexFile);
  router.use(
    '/assets',
    securityHeaders,
    express.static(join(dist, 'assets'), { immutable: true, maxAge: '365d', index: false }),
  );
  router.get(PAGE_ROUTES, securityHeaders, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(index);
  });
  return router;
}
