// Per-request context: a request id (X-Request-Id when the caller sent a sane one, else a new uuid), a pino
// child logger carrying it, and one access line plus a latency sample when the response is sent. The line
// names the route pattern, never the raw URL, so tokens in paths or query strings stay out of the logs.
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger, Metrics } from '@ax/runtime';

const SANE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestContext(deps: { logger: Logger; metrics?: Metrics }): RequestHandler {
  return (req, res, next) => {
    const given = req.header('x-request-id');
    const requestId = given && SANE_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const logger = deps.logger.child({ requestId });
    res.locals.logger = logger;
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const matched = req.route as { path?: string } | undefined;
      const route = matched?.path ? `${req.baseUrl}${matched.path}` : 'unmatched';
      deps.metrics?.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      logger.info({ method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    next();
  };
}

/** The request's logger (with its request id); `fallback` outside a request. */
export const loggerOf = (res: Response, fallback: Logger): Logger =>
  (res.locals.logger as Logger | undefined) ?? fallback;
