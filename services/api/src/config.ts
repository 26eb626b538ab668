// The API's environment.
import { apiEnv, postgresEnv, publicLinkEnv, redisEnv, runtimeEnv, s3Env, sesEnv } from '@ax/config';

export const apiConfigShape = { ...apiEnv, ...postgresEnv, ...redisEnv, ...s3Env, ...publicLinkEnv, ...runtimeEnv, RECIPIENT_DOMAIN_ALLOWLIST: sesEnv.RECIPIENT_DOMAIN_ALLOWLIST };
