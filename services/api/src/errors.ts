// API errors in the contract's shape: {"error": {"code", "message", "details"}}.
import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Logger } from '@ax/runtime';

export type ErrorDetail = { field: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (details: ErrorDetail[], message = 'The request is invalid.') =>
  new ApiError(400, 'invalid_request', message, details);
export const notFound = (what = 'resource') => new ApiError(404, 'not_found', `No such ${what}.`);
/** 410 for an export whose file was deleted at the end of its lifetime (EXPORT_FILE_TTL_DAYS, CONTRACT §6.5). */
export const fileExpired = () =>
  new ApiError(410, 'expired', 'The export file has expired and was deleted; run the export again for a new file.');
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const unavailable = (message: string) =>
  new ApiError(503, 'service_unavailable', message, [], { 'Retry-After': '5' });

/** A list's `cursor` that is no `next_cursor` this caller was given (an empty page would look like the end). */
export const UNKNOWN_CURSOR: ErrorDetail = {
  field: 'cursor',
  message: 'Unknown cursor: pass the next_cursor of the previous page.',
};

export function zodDetails(error: z.ZodError, prefix = ''): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((k) => ({ field: field ? `${field}.${k}` : k, message: 'Unknown field.' }));
    return [{ field: field || '(body)', message: issue.message }];
  });
}

export function sendError(res: Response, err: ApiError): void {
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof ApiError) return sendError(res, err);
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.parse.failed')
      return sendError(res, badRequest([{ field: '(body)', message: 'Body is not valid JSON.' }]));
    if (e.type === 'entity.too.large')
      return sendError(res, new ApiError(413, 'payload_too_large', 'The request body is too large.'));
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
      return sendError(
        res,
        new ApiError(415, 'unsupported_media_type', 'Send the body as JSON in UTF-8.', [
          { field: '(body)', message: 'Unsupported charset or encoding.' },
        ]),
      );
    // Any other client error a body parser or the router raised (http-errors with expose): the caller's, in our shape.
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && (err as { expose?: boolean }).expose)
      return sendError(res, new ApiError(e.status, 'invalid_request', 'The request could not be read.'));
    // The router decodes path parameters with decodeURIComponent: malformed percent-encoding (`%ZZ`) is the caller's.
    if (err instanceof URIError || (e.status === 400 && /decode param/i.test(String((err as Error).message))))
      return sendError(res, badRequest([{ field: '(path)', message: 'The path has malformed percent-encoding.' }]));
    ((res.locals.logger as Logger | undefined) ?? logger).error({ err, method: req.method }, 'unhandled error');
    sendError(res, new ApiError(500, 'internal_error', 'Something went wrong on our side.'));
  };
}
