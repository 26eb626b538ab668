// When the daily pass runs (CONTRACT §5: 03:00 UTC): the worker's job scheduler and GET /v1/retention both read it.
export const DAILY_PASS = { time: '03:00', timezone: 'UTC' } as const;

const [hour, minute] = DAILY_PASS.time.split(':').map(Number) as [number, number];
/** DAILY_PASS as a cron pattern (in DAILY_PASS.timezone). */
export const DAILY_PASS_PATTERN = `${minute} ${hour} * * *`;
