import { createApiKey, publisherExists } from '@ax/db';
import { UsageError, type Command } from '../command';
import { withDb } from '../db';

export const createApiKeyCommand: Command = {
  path: ['api-keys', 'create'],
  summary: 'Create an API key and print its bearer token (shown once; only its hash is stored)',
  usage: 'pnpm --silent cli api-keys create --role admin|publisher [--publisher-id P] [--name N]',
  options: { role: { type: 'string' }, 'publisher-id': { type: 'string' }, name: { type: 'string' } },
  async run(v, io) {
    const role = v.role;
    if (role !== 'admin' && role !== 'publisher') throw new UsageError('--role must be admin or publisher');
    const publisherId = (v['publisher-id'] as string | undefined) ?? null;
    if (role === 'publisher' && !publisherId) throw new UsageError('--publisher-id is required for --role publisher');
    if (role === 'admin' && publisherId) throw new UsageError('--publisher-id is only for --role publisher');
    return withDb(io.env, async (sql) => {
      if (publisherId && !(await publisherExists(sql, publisherId))) {
        io.err(`no publisher ${publisherId} in analytics.publishers\n`);
        return 1;
      }
      const { token } = await createApiKey(sql, { role, publisherId, name: v.name as string | undefined });
      io.out(`${token}\n`);
      return 0;
    });
  },
};
