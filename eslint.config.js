// Lint rules that guard correctness, not taste: unawaited promises, and the determinism boundary of
// workflow code (no Node built-ins, activities as types only). Domain code is held to the same boundary
// because workflows call it.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `${name}/*`, `node:${name}`, `node:${name}/*`]);

const sandboxImports = {
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: nodeBuiltins
        .filter((name) => !name.endsWith('/*'))
        .map((name) => ({ name, message: 'Workflow and domain code runs in the deterministic workflow sandbox: no Node built-ins.' })),
      patterns: [
        {
          group: ['**/activities/**', '**/activities', '**/api/**', '**/db/**', '**/worker/**', '**/storage/**', '**/system/**'],
          allowTypeImports: true,
          message: 'Workflow and domain code may import activities and infrastructure as types only.',
        },
        { group: ['node:*'], message: 'No Node built-ins in workflow or domain code.' },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', '.tools/', 'db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['workflows/**/*.ts', 'domain/**/*.ts'], rules: sandboxImports },
  {
    // Tests read JSON response bodies as loosely typed values; the promise rules still apply.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
