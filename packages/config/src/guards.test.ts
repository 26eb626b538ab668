// Rules across variables that every process applies at start (CONTRACT §6.6).
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, publicLinkEnv, retentionEnv } from './index';

const problemsOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  return '';
};

describe('NODE_ENV=production and LINK_SIGNING_SECRET', () => {
  const prod = { NODE_ENV: 'production' };
  it.each([
    ['unset (the local default)', undefined],
    ['the docker-compose placeholder', 'change-me-in-production-please'],
    ['the k8s example', 'change-me-to-32-random-bytes-in-base64'],
    ['shorter than 32 bytes', 'x'.repeat(31)],
  ])('refuses %s, naming the variable', (_what, value) => {
    const env = value === undefined ? prod : { ...prod, LINK_SIGNING_SECRET: value };
    expect(problemsOf(() => loadConfig(publicLinkEnv, env))).toMatch(
      /^invalid environment variable LINK_SIGNING_SECRET: /,
    );
  });
  it('accepts 32 random bytes, and the default outside production', () => {
    expect(
      problemsOf(() => loadConfig(publicLinkEnv, { ...prod, LINK_SIGNING_SECRET: randomBytes(32).toString('base64') })),
    ).toBe('');
    expect(problemsOf(() => loadConfig(publicLinkEnv, {}))).toBe('');
  });
  it('never prints the secret', () => {
    expect(
      problemsOf(() => loadConfig(publicLinkEnv, { ...prod, LINK_SIGNING_SECRET: 'short-secret-value-123' })),
    ).not.toMatch(/short-secret/);
  });
});

describe('RETENTION_MONTHS', () => {
  it('below 24 needs RETENTION_ALLOW_SHORTER=true', () => {
    expect(problemsOf(() => loadConfig(retentionEnv, { RETENTION_MONTHS: '23' }))).toMatch(
      /RETENTION_MONTHS.*RETENTION_ALLOW_SHORTER=true/,
    );
    expect(
      problemsOf(() => loadConfig(retentionEnv, { RETENTION_MONTHS: '23', RETENTION_ALLOW_SHORTER: 'true' })),
    ).toBe('');
    expect(problemsOf(() => loadConfig(retentionEnv, { RETENTION_MONTHS: '24' }))).toBe('');
  });
});
