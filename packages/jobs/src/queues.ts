// Typed producers: payloads are parsed before they reach Redis.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobCatalog, QUEUE, type JobName, type PayloadOf, type QueueName } from './catalog';

export type Queues = Record<QueueName, Queue> & { close(): Promise<void> };

export function createQueues(connection: Redis, prefix: string, onError: (err: Error) => void = () => {}): Queues {
  const make = (name: QueueName) => {
    const q = new Queue(name, { connection, prefix });
    q.on('error', onError);
    return q;
  };
  const queues = { exports: make(QUEUE.exports), reports: make(QUEUE.reports), retention: make(QUEUE.retention) };
  return {
    ...queues,
    close: async () => {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

export async function enqueue<N extends JobName>(
  queues: Queues,
  name: N,
  payload: PayloadOf<N>,
  options: { delay?: number; jobId?: string } = {},
): Promise<string> {
  const def = jobCatalog[name];
  const data = def.schema.parse(payload);
  const jobId =
    options.jobId ?? (def.jobId ? (def.jobId as (p: PayloadOf<N>) => string)(data as PayloadOf<N>) : undefined);
  const job = await queues[def.queue].add(name, data, { ...def.options, delay: options.delay, jobId });
  return job.id!;
}
