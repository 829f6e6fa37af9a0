// Rules that catch bugs: unhandled promises, unsafe `any`, unreachable or redundant code.
// Layout is Prettier's job (.prettierrc.json), so no stylistic rules here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'test-artifacts/',
      'test/.cache/',
      'test/fixtures/',
      'examples/',
      'action/',
    ],
  },
  js.configs.recommended,
  {
    // Prettier wraps code at 120 columns but leaves long strings and comments: split those by hand.
    rules: { 'max-len': ['error', { code: 120, tabWidth: 2 }] },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise left running on purpose says so with `void`; any other must be awaited or handled.
      '@typescript-eslint/no-floating-promises': 'error',
      // Async listeners handed to emitters and timers are fine; async callbacks where a
      // synchronous result is read (conditions, array callbacks, spreads) are not.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `async` without `await` is how an interface that returns promises is met by synchronous code
      // (throws become rejections); flagging it is noise.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'off',
    },
  },
  {
    // Tests read JSON reports and protocol messages as `any` on purpose: a wrong field fails the assertion.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
  },
  {
    // Callbacks handed to page.evaluate() run in the editor's page.
    files: ['test/editor/ui/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
