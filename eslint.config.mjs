// ESLint flat config: ESLint's and typescript-eslint's recommended rules, without type information
// (fast; `tsc` already checks types). Formatting is Prettier's job, not ESLint's.
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The globals a plain Node script (scripts/*.mjs) uses; TypeScript files get theirs from tsc.
const nodeGlobals = Object.fromEntries(
  [
    'AbortController',
    'Buffer',
    'URL',
    'clearTimeout',
    'console',
    'fetch',
    'performance',
    'process',
    'setTimeout',
    'structuredClone',
    '__dirname',
    'module',
    'require',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  {
    ignores: ['dist/', 'docs/', 'coverage/', '**/node_modules/', 'examples/dashboard/dist/', 'spec/types/seed/'],
  },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    rules: {
      // `_name` marks a parameter kept for its position, as in `(_error, attempt) => …`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // A `let` declared early so that a callback defined before the assignment can read it.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
);
