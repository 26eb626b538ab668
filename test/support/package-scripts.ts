// package.json's scripts, read the way a shell starts them: the leading `VAR=value` assignments (the export worker's
// glibc malloc settings, which like Node's flags cannot come from code) and the command words after them. The k8s and
// compose checks compare against them; the benches and the compiled-output test start services with them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const packageScripts = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

export function packageScript(name: string): { env: Record<string, string>; command: string[] } {
  const text = packageScripts[name];
  if (text === undefined) throw new Error(`package.json has no script ${name}`);
  const words = text.split(' ');
  const assignments = words.filter((w) => /^[A-Z_]+=/.test(w));
  return {
    env: Object.fromEntries(assignments.map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)])),
    command: words.slice(assignments.length),
  };
}

/** How production starts a service (`pnpm start:<name>`): its environment settings and Node flags, not a copy of them. */
export function productionStart(name: string): { env: Record<string, string>; nodeFlags: string[] } {
  const { env, command } = packageScript(`start:${name}`);
  if (command[0] !== 'node') throw new Error(`start:${name} does not run node: ${command.join(' ')}`);
  return { env, nodeFlags: command.filter((w) => w.startsWith('--')) };
}
