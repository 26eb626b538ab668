// A pass's settings from the parsed environment (RETENTION_MONTHS and the tuning of @ax/config's retentionPassEnv),
// shared by the worker and the CLI so both run the same pass.
import { loadConfig, retentionPassEnv, type z } from '@ax/config';

export type PassEnv = z.infer<z.ZodObject<typeof retentionPassEnv>>;

export const passOptionsFrom = (c: PassEnv) => ({
  retentionMonths: c.RETENTION_MONTHS,
  batchSize: c.RETENTION_BATCH_SIZE,
  lockTimeoutMs: c.RETENTION_LOCK_TIMEOUT_MS,
  lockAttempts: c.RETENTION_LOCK_ATTEMPTS,
  futureMonths: c.RETENTION_FUTURE_MONTHS,
});

/**
 * Tuning for callers that pass none (tests, benches): @ax/config's defaults, so they are written down once. The
 * months are not among them: every caller says how long data is kept.
 */
export const passDefaults = (() => {
  const { retentionMonths: _months, ...tuning } = passOptionsFrom(loadConfig(retentionPassEnv, {}));
  return { ...tuning, retryDelayMs: 1_000 };
})();
