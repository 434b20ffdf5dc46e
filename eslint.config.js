// Type-aware lint: floating promises and non-exhaustive switches are errors (STYLE.md §13).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated.ts', '**/testdata/**', 'packages/ui/web-dist/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/src/**/*.tsx', 'packages/*/test/**/*.ts', 'packages/*/test/**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['packages/cli/src/**/*.ts', 'packages/*/test/**/*.ts', 'packages/*/bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Fidelity evaluators read a mesh's config from its documented behaviour: no code of the
    // translators, the shared helpers, core's semantics or the neutral oracle (types only).
    files: ['packages/adapters/test/evaluators/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '@anymesh/*', '**/support/**'],
              allowTypeImports: true,
              message: 'evaluators may import only types from translators, shared helpers, core or the oracle (docs/adapters/mutation.md)',
            },
          ],
        },
      ],
    },
  },
);
