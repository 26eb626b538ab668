// Structured JSON logs. Secrets never reach a line: tokens, signed URLs and e-mail bodies are redacted.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['token', 'authorization', 'headers.authorization', 'download_url', 'url', 'signedUrl', 'body', 'html', 'text'],
      censor: '[redacted]',
    },
  });
}
