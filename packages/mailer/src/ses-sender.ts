// Sends one e-mail through the SES v2 API and sorts failures into "retry", "rejected" and "unknown outcome".
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

export type MailHeader = { name: string; value: string };
/** An inline image: the HTML refers to it as `cid:<contentId>`. */
export type MailAttachment = { fileName: string; contentType: string; contentId: string; content: Buffer };
export type MailMessage = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers, e.g. RFC 8058 List-Unsubscribe; values must be single lines. */
  headers?: MailHeader[];
  attachments?: MailAttachment[];
};
export type SendMail = (msg: MailMessage) => Promise<{ messageId: string }>;

export type MailerConfig = {
  SES_ENDPOINT: string;
  SES_REGION: string;
  MAIL_FROM: string;
  SES_ACCESS_KEY_ID?: string;
  SES_SECRET_ACCESS_KEY?: string;
};

export function createSesSender(config: MailerConfig): SendMail {
  const local = config.SES_ENDPOINT !== '';
  const client = new SESv2Client({
    region: config.SES_REGION,
    ...(local
      ? { endpoint: config.SES_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    // No SDK retries: a timed-out attempt may have been accepted, and resending it would duplicate the mail.
    // Definite refusals (throttling, 5xx) are retried by the delivery job, with backoff.
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5000, requestTimeout: 20_000 },
  });
  return async (msg) => {
    const out = await client.send(
      new SendEmailCommand({
        FromEmailAddress: config.MAIL_FROM,
        Destination: { ToAddresses: [msg.to] },
        Content: {
          Simple: {
            Subject: { Data: msg.subject, Charset: 'UTF-8' },
            Body: { Html: { Data: msg.html, Charset: 'UTF-8' }, Text: { Data: msg.text, Charset: 'UTF-8' } },
            ...(msg.headers?.length ? { Headers: msg.headers.map((h) => ({ Name: h.name, Value: h.value })) } : {}),
            ...(msg.attachments?.length
              ? {
                  Attachments: msg.attachments.map((a) => ({
                    FileName: a.fileName,
                    ContentType: a.contentType,
                    ContentId: a.contentId,
                    RawContent: a.content,
                    ContentDisposition: 'INLINE' as const,
                    ContentTransferEncoding: 'BASE64' as const,
                  })),
                }
              : {}),
          },
        },
      }),
    );
    if (!out.MessageId) throw Object.assign(new Error('SES answered without a MessageId'), { name: 'NoMessageId' });
    return { messageId: out.MessageId };
  };
}

/**
 * - retry: SES surely took nothing (it answered 429/5xx or a throttling error, or no connection was made);
 * - rejected: SES refused this message for good (4xx such as MessageRejected): retrying cannot help;
 * - unknown: the request may have reached SES (timeout, reset): resending could duplicate the e-mail.
 */
export type SendFailure = { kind: 'retry' | 'rejected' | 'unknown'; reason: string };

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const THROTTLED = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'LimitExceededException',
  'SendingPausedException',
]);

export function classifySendError(err: unknown): SendFailure {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  const reason = `${name}: ${e?.message ?? String(err)}`.slice(0, 500);
  const status = e?.$metadata?.httpStatusCode;
  if (THROTTLED.has(name) || status === 429 || (status !== undefined && status >= 500))
    return { kind: 'retry', reason };
  if (status !== undefined && status >= 400) return { kind: 'rejected', reason };
  if (e?.code && NEVER_CONNECTED.has(e.code)) return { kind: 'retry', reason };
  return { kind: 'unknown', reason };
}
