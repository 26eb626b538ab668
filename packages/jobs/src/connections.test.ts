import type { Redis } from 'ioredis';
import type { Logger } from '@ax/runtime';
import { checkEvictionPolicy } from './connections';

// Plain fakes: only CONFIG GET and logger.warn are involved.
const fakeRedis = (answer: () => Promise<unknown>) => ({ config: answer }) as unknown as Redis;
const fakeLogger = () => {
  const warnings: unknown[][] = [];
  return { warnings, logger: { warn: (...args: unknown[]) => void warnings.push(args) } as unknown as Logger };
};

describe('checkEvictionPolicy', () => {
  it('warns, naming the policy, when Redis may evict keys', async () => {
    const { warnings, logger } = fakeLogger();
    await checkEvictionPolicy(
      fakeRedis(async () => ['maxmemory-policy', 'allkeys-lru']),
      logger,
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]![0]).toEqual({ policy: 'allkeys-lru' });
    expect(String(warnings[0]![1])).toMatch(/noeviction/);
  });

  it('stays quiet for noeviction', async () => {
    const { warnings, logger } = fakeLogger();
    await checkEvictionPolicy(
      fakeRedis(async () => ['maxmemory-policy', 'noeviction']),
      logger,
    );
    expect(warnings).toEqual([]);
  });

  it('does not fail when CONFIG is disabled (managed Redis)', async () => {
    const { warnings, logger } = fakeLogger();
    await expect(
      checkEvictionPolicy(
        fakeRedis(async () => {
          throw new Error("ERR unknown command 'CONFIG'");
        }),
        logger,
      ),
    ).resolves.toBeUndefined();
    expect(warnings).toEqual([]);
  });
});
