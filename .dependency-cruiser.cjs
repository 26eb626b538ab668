// The layering rules the tree keeps (STYLE.md "The shape"), checked by `pnpm lint:deps` in the test command.
// process.env is checked by ESLint (no-restricted-properties), since it is not an import.
const TESTS = '^test/|\\.test\\.tsx?$';

module.exports = {
  forbidden: [
    {
      name: 'packages-never-import-services',
      comment: 'Services are built from packages; an arrow back up makes a package depend on a deployable.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'only-jobs-imports-bullmq',
      comment: 'Queue plumbing stays in @ax/jobs (STYLE §5); tests may inspect queues directly.',
      severity: 'error',
      from: { path: '^(packages|services)/', pathNot: ['^packages/jobs/', TESTS] },
      to: { path: 'node_modules/bullmq/' },
    },
    {
      name: 'testing-only-in-tests',
      comment: 'Fixtures are for tests; production code must not depend on them.',
      severity: 'error',
      from: { pathNot: [TESTS, '^packages/testing/'] },
      to: { path: '^packages/testing/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a dependency missing from its package.json (pnpm is strict).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'web-only-through-the-client',
      comment: 'The page reaches the API only through the generated client (STYLE "services/web").',
      severity: 'error',
      from: { path: '^services/web/' },
      to: { path: '^(services/(?!web/)|packages/(?!api-client/))' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.runtime|\\.tmp|coverage|services/web/dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'],
    },
  },
};
