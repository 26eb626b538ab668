export { createLogger, type Logger } from './logger';
export { createMetrics, type Metrics, type QueueDepthSource } from './metrics';
export { createShutdown } from './shutdown';
export { type OpsServer, startOpsServer } from './ops-server';
