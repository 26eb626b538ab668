// api-keys create | list | revoke: operators manage keys straight in PostgreSQL (§1, §6.3).
import { apiKeyView, createApiKey, listApiKeys, publisherExists, revokeApiKey } from '@ax/db';
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

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');
export const listApiKeysCommand: Command = {
  path: ['api-keys', 'list'],
  summary: 'List API keys: id, name, role, publisher, created, last used, revoked (times in UTC)',
  usage: 'pnpm --silent cli api-keys list [--json]',
  options: { json: { type: 'boolean' } },
  async run(v, io) {
    return withDb(io.env, async (sql) => {
      const keys = await listApiKeys(sql);
      if (v.json) {
        io.out(`${JSON.stringify(keys.map(apiKeyView), null, 2)}\n`);
        return 0;
      }
      const rows = [
        ['ID', 'NAME', 'ROLE', 'PUBLISHER', 'CREATED', 'LAST USED', 'REVOKED'],
        ...keys.map((k) => [
          k.id,
          k.name || '-',
          k.role,
          k.publisher_id ?? '-',
          when(k.created_at),
          when(k.last_used_at),
          when(k.revoked_at),
        ]),
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
      ].map((r) => r.map((c) => c.replace(/[\u0000-\u001f\u007f]/g, ' ')));
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      io.out(
        rows
          .map((r) =>
            r
              .map((c, i) => c.padEnd(widths[i]!))
              .join('  ')
              .trimEnd(),
          )
          .join('\n') + '\n',
      );
      return 0;
    });
  },
};

export const revokeApiKeyCommand: Command = {
  path: ['api-keys', 'revoke'],
  summary: 'Revoke an API key at once; the schedules it created are paused (creator_key_revoked)',
  usage: 'pnpm --silent cli api-keys revoke ID',
  options: {},
  args: ['ID'],
  async run(_v, io, [id]) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id!)) {
      io.err(`no API key ${id}\n`);
      return 1;
    }
    return withDb(io.env, async (sql) => {
      const r = await revokeApiKey(sql, id!.toLowerCase());
      if (r.outcome === 'unknown') {
        io.err(`no API key ${id}\n`);
        return 1;
      }
      io.err(r.outcome === 'already_revoked' ? `API key ${id} was already revoked\n` : `API key ${id} revoked\n`);
      if (r.pausedScheduleIds.length)
        io.err(`paused ${r.pausedScheduleIds.length} schedule(s) it created: ${r.pausedScheduleIds.join(', ')}\n`);
      return 0;
    });
  },
};
