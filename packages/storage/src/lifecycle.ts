// The bucket lifecycle rule that backs up the expiry sweep on AWS: S3 itself deletes export objects some days after
// the sweep should have (EXPORT_FILE_TTL_DAYS + a margin), so a file outlives its time by days at worst, even if every
// sweep failed. Other rules on the bucket are kept. The local emulator (s3rver) answers 501: not applied there.
import {
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import type { Storage } from './s3';

export const EXPORT_LIFECYCLE_RULE_ID = 'analytics-export-files-backstop';
/** Days the rule waits beyond the TTL: the sweep runs hourly and is caught up after 2 hours, so a week is plenty. */
export const LIFECYCLE_MARGIN_DAYS = 7;

export function exportLifecycleRule(ttlDays: number): LifecycleRule {
  return {
    ID: EXPORT_LIFECYCLE_RULE_ID,
    Status: 'Enabled',
    Filter: { Prefix: 'exports/' },
    Expiration: { Days: ttlDays + LIFECYCLE_MARGIN_DAYS },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
  };
}

/** Adds (or updates) our rule, keeping the bucket's other rules. Throws what S3 answered (501 on s3rver). */
export async function applyExportLifecycleRule(storage: Storage, ttlDays: number): Promise<void> {
  const current = await storage.client
    .send(new GetBucketLifecycleConfigurationCommand({ Bucket: storage.bucket }))
    .then(
      (r) => r.Rules ?? [],
      (err: { name?: string }) => {
        if (err.name === 'NoSuchLifecycleConfiguration') return [] as LifecycleRule[];
        throw err;
      },
    );
  const rules = [...current.filter((r) => r.ID !== EXPORT_LIFECYCLE_RULE_ID), exportLifecycleRule(ttlDays)];
  await storage.client.send(
    new PutBucketLifecycleConfigurationCommand({ Bucket: storage.bucket, LifecycleConfiguration: { Rules: rules } }),
  );
}
