// Lint rules that guard correctness and shape, not taste: unawaited promises; the determinism boundary
// of workflow code (no Node built-ins, activities as types only), to which domain code is held because
// workflows call it; what workflow and domain code may import at all (an allow-list, so that a new
// engine folder is outside it until someone decides otherwise); and files short enough to hold one thing.
import { builtinModules } from 'node:module';
import path from 'node:path';
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
          group: ['**/activities/**', '**/activities', '**/api/**', '**/db/**', '**/worker/**', '**/engines/**', '**/system/**'],
          allowTypeImports: true,
          message: 'Workflow and domain code may import activities and infrastructure as types only.',
        },
        { group: ['node:*'], message: 'No Node built-ins in workflow or domain code.' },
      ],
    },
  ],
};

/**
 * Where workflow and domain code may import values from: repository paths (relative to the root) and
 * packages. Type-only imports may name anything in the repository (an activity's interface, a table's row
 * type): they vanish at run time.
 */
const allowedImports = {
  // Domain code imports nothing outside domain/ (the boosted trees, domain/shared/gbdt.ts, are arithmetic).
  domain: { paths: ['domain/'], packages: ['zod'] },
  workflows: {
    paths: [
      'workflows/',
      'domain/',
      'platform/temporal/search-attributes.ts',
      'platform/temporal/task-queues.ts',
      'platform/temporal/document-reading.ts',
    ],
    packages: ['@temporalio/workflow', '@temporalio/common'],
  },
};

const root = import.meta.dirname;
const maxLines = 350;

const local = {
  rules: {
    'layer-imports': {
      meta: { type: 'problem', schema: [{ enum: Object.keys(allowedImports) }] },
      create(context) {
        const layer = allowedImports[context.options[0]];
        const from = path.dirname(context.filename);
        return {
          ImportDeclaration(node) {
            if (node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'))) {
              return;
            }
            const source = String(node.source.value);
            if (source.startsWith('.')) {
              const target = path.relative(root, path.resolve(from, source)).split(path.sep).join('/');
              if (!layer.paths.some((p) => target === p || target.startsWith(p))) {
                context.report({
                  node,
                  message: `${context.options[0]}/ may import values only from ${layer.paths.join(', ')} (not ${target}); import types with "import type".`,
                });
              }
            } else {
              const name = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];
              if (!layer.packages.includes(name)) {
                context.report({
                  node,
                  message: `${context.options[0]}/ may import only the packages ${layer.packages.join(', ')} (not ${source}).`,
                });
              }
            }
          },
        };
      },
    },
    'file-length': {
      meta: { type: 'suggestion', schema: [] },
      create(context) {
        return {
          Program(node) {
            const lines = context.sourceCode.lines.length;
            if (lines <= maxLines) return;
            const head = context.sourceCode.getAllComments().filter((c) => c.loc.start.line <= 20);
            if (head.some((c) => /\blong file: \S.{9,}/i.test(c.value))) return;
            context.report({
              node,
              loc: { line: 1, column: 0 },
              message: `${lines} lines (over ${maxLines}): split it, or say why it is one file in a "long file: ..." comment at its top.`,
            });
          },
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'console/dist/', '.data/', '.tools/', 'db/migrations/'] },
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
  { plugins: { local }, rules: { 'local/file-length': 'error' } },
  { files: ['workflows/**/*.ts', 'domain/**/*.ts'], rules: sandboxImports },
  { files: ['domain/**/*.ts'], rules: { 'local/layer-imports': ['error', 'domain'] } },
  { files: ['workflows/**/*.ts'], rules: { 'local/layer-imports': ['error', 'workflows'] } },
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
      // Stubbed activities answer at once but keep an activity's async signature.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
