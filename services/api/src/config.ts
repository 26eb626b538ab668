// The API's environment.
import { apiEnv, postgresEnv, publicLinkEnv, redisEnv, runtimeEnv, s3Env } from '@ax/config';

export const apiConfigShape = { ...apiEnv, ...postgresEnv, ...redisEnv, ...s3Env, ...publicLinkEnv, ...runtimeEnv };
