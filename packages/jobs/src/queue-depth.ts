// Queue depth for the metrics gauge: BullMQ job counts per queue and state, read at scrape time.
import type { QueueDepthSource } from '@ax/runtime';
import { QUEUE } from './catalog';
import type { Queues } from './queues';

/** The states an operator watches; `waiting` is what autoscaling keys on. */
export const DEPTH_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
] as const;

export function queueDepthSource(queues: Queues): QueueDepthSource {
  return () =>
    Promise.all(
      Object.values(QUEUE).map(async (queue) => ({ queue, counts: await queues[queue].getJobCounts(...DEPTH_STATES) })),
    );
}
