// A tiny command framework on node:util parseArgs: every command has --help and typed options.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

export type Command = {
  /** Words that select the command, e.g. ['api-keys', 'create']. */
  path: string[];
  summary: string;
  usage: string;
  options: Options;
  /** Names of the positional arguments the command takes (e.g. ['ID']); none by default. */
  args?: string[];
  run(values: Record<string, string | boolean | undefined>, io: Io, args: string[]): Promise<number>;
};

export type Io = {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** stderr is a terminal: progress may redraw a line instead of printing new ones. */
  errIsTTY?: boolean;
};

export class UsageError extends Error {}

export async function dispatch(commands: Command[], argv: string[], io: Io): Promise<number> {
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const words = argv.filter((a) => !a.startsWith('-'));
  const command = commands
    .filter((c) => c.path.every((w, i) => words[i] === w))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!command) {
    const prefix = words.join(' ');
    const listed = commands.filter((c) => c.path.join(' ').startsWith(prefix));
    io[wantsHelp || argv.length === 0 ? 'out' : 'err'](
      `${argv.length && !wantsHelp ? `unknown command: ${prefix}\n\n` : ''}Usage: pnpm --silent cli <command> [options]\n\nCommands:\n` +
        (listed.length ? listed : commands).map((c) => `  ${c.path.join(' ').padEnd(22)} ${c.summary}`).join('\n') +
        '\n\nRun a command with --help for its options.\n',
    );
    return wantsHelp || argv.length === 0 ? 0 : 2;
  }
  if (wantsHelp) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }
  const rest = argv.slice(command.path.length);
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: command.options,
      strict: true,
      allowPositionals: true,
    });
    const wanted = command.args ?? [];
    if (positionals.length > wanted.length) throw new UsageError(`unexpected argument: ${positionals[wanted.length]}`);
    if (positionals.length < wanted.length) throw new UsageError(`missing argument: ${wanted[positionals.length]}`);
    return await command.run(values as Record<string, string | boolean | undefined>, io, positionals);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(err as Error).message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    throw err;
  }
}

export function intOption(values: Record<string, unknown>, name: string, fallback: number, min = 0): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(
      `--${name} must be an integer ≥ ${min}, got ${typeof raw === 'string' ? raw : JSON.stringify(raw)}`,
    );
  return n;
}
