// The export worker's environment.
import { postgresEnv, publicLinkEnv, redisEnv, reportsEnv, runtimeEnv, s3Env, sesEnv, workerEnv } from '@ax/config';

export const exportWorkerEnv = { ...postgresEnv, ...redisEnv, ...s3Env, ...sesEnv, ...publicLinkEnv, ...runtimeEnv, ...workerEnv, ...reportsEnv };
