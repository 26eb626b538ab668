// S3 client set-up: path-style and explicit checksums for the local emulator, plain defaults for AWS.
import { S3Client, HeadBucketCommand, CreateBucketCommand } from '@aws-sdk/client-s3';

export type StorageConfig = {
  S3_ENDPOINT: string;
  S3_BUCKET: string;
  S3_REGION: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  S3_PRESIGN_TTL_SECONDS: number;
};

export type Storage = { client: S3Client; bucket: string; presignTtlSeconds: number };

export function createStorage(config: StorageConfig): Storage {
  const local = config.S3_ENDPOINT !== '';
  const credentials =
    config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
      ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
      : local
        ? { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
        : undefined;
  const client = new S3Client({
    region: config.S3_REGION,
    ...(local
      ? {
          endpoint: config.S3_ENDPOINT,
          forcePathStyle: true,
          // With the SDK's default checksums a streamed body reaches s3rver with its chunk framing as data.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 4,
  });
  // Part and object bodies are sent with an unsigned payload: signing would hash every byte once more, and the
  // export already hashes the whole file (its sha256). TLS (and, on AWS, the SDK's CRC32 checksum) guards the bytes.
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { body?: unknown; headers?: Record<string, string> };
      if (request.headers && request.body instanceof Uint8Array)
        request.headers['x-amz-content-sha256'] ??= 'UNSIGNED-PAYLOAD';
      return next(args);
    },
    { step: 'build', name: 'unsignedPayload' },
  );
  return { client, bucket: config.S3_BUCKET, presignTtlSeconds: config.S3_PRESIGN_TTL_SECONDS };
}

/** Creates the bucket when missing (local emulator and first runs). */
export async function ensureBucket(storage: Storage): Promise<void> {
  try {
    await storage.client.send(new HeadBucketCommand({ Bucket: storage.bucket }));
  } catch {
    await storage.client.send(new CreateBucketCommand({ Bucket: storage.bucket })).catch((err: { name?: string }) => {
      if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
    });
  }
}
