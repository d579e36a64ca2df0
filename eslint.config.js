// ESLint flat config. The purity block keeps src/scheduler and src/domain free of I/O, clocks and randomness
// (DESIGN §3: the scheduling core is a pure function of its snapshot).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Module specifiers the pure core must never import. */
export const impureImports = [
  { group: ['node:*', 'fs', 'fs/*', 'net', 'http', 'https', 'child_process', 'os', 'dgram', 'tls', 'worker_threads'], message: 'src/scheduler and src/domain are pure: no I/O modules.' },
  { group: ['pg', 'pg-*', 'kysely', 'kysely/*', '@electric-sql/*', 'express', 'express/*', '@grpc/*', '@kubernetes/*', 'pino', 'prom-client', 'node-cron'], message: 'src/scheduler and src/domain are pure: no database, network or process libraries.' },
  { group: ['**/adapters/**', '**/store/**', '**/api/**', '**/control/**', '**/metering/**', '**/config/**', '**/cli/**'], message: 'src/scheduler and src/domain must not depend on adapters, store, api, control, metering, config or cli.' },
];

/** Syntax the pure core must never use: the wall clock and randomness. */
export const impureSyntax = [
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'No Date.now() in the pure core: take `now` from the snapshot.' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'No new Date() without an argument in the pure core: take `now` from the snapshot.' },
  { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'No Math.random() in the pure core: randomness belongs to the caller (pass a seed).' },
  { selector: "MemberExpression[object.name='performance'][property.name='now']", message: 'No performance.now() in the pure core.' },
  { selector: "MemberExpression[object.name='process']", message: 'No process access in the pure core.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.ncg/**', 'helm/**', 'test-output/**', 'src/api/rest/static/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/scheduler/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: impureImports }],
      'no-restricted-syntax': ['error', ...impureSyntax],
    },
  },
  {
    // The dashboard runs in the browser (plain ES modules served as they are).
    files: ['src/dashboard/static/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    // Tests read untyped JSON answers; `any` there is honest, and assertions catch mistakes.
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
