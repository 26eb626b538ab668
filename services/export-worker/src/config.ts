// The export worker's environment.
import {
  postgresEnv,
  publicLinkEnv,
  redisEnv,
  reportsEnv,
  retentionEnv,
  runtimeEnv,
  s3Env,
  sesEnv,
  workerEnv,
} from '@ax/config';

export const exportWorkerEnv = {
  ...postgresEnv,
  ...redisEnv,
  ...s3Env,
  ...sesEnv,
  ...publicLinkEnv,
  ...runtimeEnv,
  ...workerEnv,
  ...reportsEnv,
  // Catch-up of report periods never reaches before the retention cutoff: the same months as the retention worker.
  RETENTION_MONTHS: retentionEnv.RETENTION_MONTHS,
  RETENTION_ALLOW_SHORTER: retentionEnv.RETENTION_ALLOW_SHORTER,
};
