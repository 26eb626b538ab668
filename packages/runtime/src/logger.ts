// Structured JSON logs. Secrets never reach a line: tokens, signed URLs and e-mail bodies are redacted.
import pino from 'pino';

export type Logger = pino.Logger;

/** `destination`: where lines go (stdout by default); tests pass a stream to read the lines back. */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'token',
        'authorization',
        'headers.authorization',
        'download_url',
        'url',
        'signedUrl',
        'body',
        'html',
        'text',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
