// Lint with type information: promises that nobody awaits or that land where a callback's result is ignored
// are how a failure slips past the queue (STYLE §6), so those two rules are errors everywhere.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      '.runtime/',
      '.tmp/',
      '.data/',
      'test-artifacts/',
      'coverage/',
      'packages/api-client/src/schema.gen.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // An async function without await is how an interface that returns a promise is met; not a bug.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Configuration is parsed once, in @ax/config, and passed down (STYLE §8).
    files: ['packages/**/*.{ts,tsx}', 'services/**/*.{ts,tsx}'],
    ignores: ['packages/config/**', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through @ax/config.' },
      ],
    },
  },
  {
    // Tests read untyped JSON (supertest's `res.body` is `any`); the contract test checks those shapes against the
    // schemas, so the no-unsafe-* family would only ask for casts here. The promise rules still apply.
    files: ['test/**/*.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { module: 'readonly', require: 'readonly', __dirname: 'readonly' } },
  },
);
