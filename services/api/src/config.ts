// The API's environment.
import {
  apiEnv,
  postgresEnv,
  publicLinkEnv,
  redisEnv,
  reportLimitsEnv,
  retentionEnv,
  runtimeEnv,
  s3Env,
  sesEnv,
} from '@ax/config';

export const apiConfigShape = {
  ...apiEnv,
  ...postgresEnv,
  ...redisEnv,
  ...s3Env,
  ...publicLinkEnv,
  ...runtimeEnv,
  RETENTION_MONTHS: retentionEnv.RETENTION_MONTHS,
  RETENTION_ALLOW_SHORTER: retentionEnv.RETENTION_ALLOW_SHORTER,
  RECIPIENT_DOMAIN_ALLOWLIST: sesEnv.RECIPIENT_DOMAIN_ALLOWLIST,
  ...reportLimitsEnv,
};
