// `pnpm cli …`: operator commands. Output meant for scripts goes to stdout; everything else to stderr.
import { ConfigError, processEnvironment } from '@ax/config';
import { dispatch, type Command } from './command';
import { createApiKeyCommand, listApiKeysCommand, revokeApiKeyCommand } from './commands/api-keys';
import { createExportCommand, listExportsCommand } from './commands/exports';
import { migrateCommand } from './commands/migrate';
import { retentionHistoryCommand, retentionRunCommand } from './commands/retention';
import { seedCommand } from './commands/seed';

const commands: Command[] = [
  migrateCommand,
  createApiKeyCommand,
  listApiKeysCommand,
  revokeApiKeyCommand,
  seedCommand,
  createExportCommand,
  listExportsCommand,
  retentionRunCommand,
  retentionHistoryCommand,
];

dispatch(commands, process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: processEnvironment(),
  errIsTTY: process.stderr.isTTY === true,
}).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `error: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
