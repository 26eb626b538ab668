// Reads mail back from the shared SES emulator (GET /store). Other sessions use it too: always filter by
// recipients unique to the test, never clear it.
import { SES_TEST_ENDPOINT } from './harness';

export type StoredMail = {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  attachments?: { filename?: string; contentType?: string; cid?: string; content?: string }[];
  at: number;
};

export async function mailTo(recipients: string[]): Promise<StoredMail[]> {
  const res = await fetch(`${SES_TEST_ENDPOINT}/store`);
  if (!res.ok) throw new Error(`SES store: ${res.status}`);
  const { emails } = (await res.json()) as { emails: StoredMail[] };
  const wanted = new Set(recipients.map((r) => r.toLowerCase()));
  return emails.filter((m) => m.destination.to.some((t) => wanted.has(t.toLowerCase())));
}

/** A recipient address no other test or session uses. */
export const uniqueRecipient = (label: string) =>
  `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@reports.example.com`;

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A header of a stored mail (names compare case-insensitively). */
export const headerOf = (mail: StoredMail, name: string) =>
  mail.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
