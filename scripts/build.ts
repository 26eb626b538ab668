// `pnpm build`: one self-contained CommonJS file per process, for Node.js 24, in dist/.
//   dist/api/main.js  dist/export-worker/main.js  dist/retention-worker/main.js  dist/cli/main.js
//   dist/migrations/*.sql             the SQL migrations (the CLI's `migrate` reads <its dir>/../migrations)
//   dist/node_modules/…               packages whose files are read from disk at run time (found through
//                                     require.resolve): the /docs and /admin/queues page assets
// esbuild bundles our sources (through the `source` export condition, like tsx and jest) together with their
// third-party dependencies, so dist/ runs with plain `node` and no node_modules beside it. Types are checked
// separately (`pnpm typecheck`): esbuild only strips them.
import { cpSync, existsSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..');

/** Output name (under dist/, without .js) → source entry. The deploy files run `node dist/<name>.js`. */
export const entryPoints = {
  'api/main': 'services/api/src/main.ts',
  'export-worker/main': 'services/export-worker/src/main.ts',
  'retention-worker/main': 'services/retention-worker/src/main.ts',
  'cli/main': 'packages/cli/src/main.ts',
};

// Packages served as static files from their own directory: [package, a directory whose package resolves it].
const assetPackages: [string, string][] = [
  ['swagger-ui-dist', 'services/api'],
  ['@bull-board/ui', realpathSync(join(ROOT, 'services/api/node_modules/@bull-board/api'))],
];
// Left out of the bundles: optional native add-ons their users load inside try/catch (a pure-JS path runs
// without them), and the asset packages (copied whole into dist/node_modules below).
const external = ['pg-native', 'msgpackr-extract', ...assetPackages.map(([name]) => name)];

/** Builds everything into `out` (emptied first); returns one line per bundle: its name and size. */
export async function buildDist(out = join(ROOT, 'dist')): Promise<string[]> {
  rmSync(out, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.entries(entryPoints).map(([name, src]) => ({ in: src, out: name })),
    outdir: out,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    conditions: ['source'],
    external,
    // Whitespace and syntax only: names stay readable in stack traces. Less source to hold and pre-parse took the
    // idle export worker from ~103 to ~97 MB RSS. `node --enable-source-maps` maps positions back to the .ts files.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  cpSync(join(ROOT, 'packages/db/migrations'), join(out, 'migrations'), { recursive: true });
  for (const [name, from] of assetPackages) {
    const dir = dirname(createRequire(resolve(ROOT, from, 'package.json')).resolve(`${name}/package.json`));
    cpSync(dir, join(out, 'node_modules', name), { recursive: true, dereference: true });
  }
  // The web page, when built (pnpm build runs build:web first): the bundled API serves it from dist/web.
  if (existsSync(join(ROOT, 'services/web/dist/index.html')))
    cpSync(join(ROOT, 'services/web/dist'), join(out, 'web'), { recursive: true });
  // dist/ is CommonJS whatever a parent package.json says.
  writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs', private: true }, null, 2)}\n`);
  return Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, o]) => `${relative(out, join(ROOT, file))} ${(o.bytes / 1e6).toFixed(1)} MB`);
}

if (require.main === module) {
  const started = Date.now();
  buildDist().then(
    (sizes) => console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s: ${sizes.join(', ')}`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
