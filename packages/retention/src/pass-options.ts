// A pass's settings from the parsed environment (RETENTION_MONTHS and the tuning of @ax/config's retentionPassEnv),
// shared by the worker and the CLI so both run the same pass.
import type { retentionPassEnv, z } from '@ax/config';

export type PassEnv = z.infer<z.ZodObject<typeof retentionPassEnv>>;

export const passOptionsFrom = (c: PassEnv) => ({
  retentionMonths: c.RETENTION_MONTHS,
  batchSize: c.RETENTION_BATCH_SIZE,
  lockTimeoutMs: c.RETENTION_LOCK_TIMEOUT_MS,
  lockAttempts: c.RETENTION_LOCK_ATTEMPTS,
  futureMonths: c.RETENTION_FUTURE_MONTHS,
});
