// The determinism boundary is enforced by lint: prove the rules fire on workflow and domain code.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../system/tools.ts';

const eslint = new ESLint({ cwd: projectRoot });

async function ruleHits(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(projectRoot, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

// The first lint builds the TypeScript program for type-aware rules, which takes seconds.
describe('lint boundaries', { timeout: 60_000 }, () => {
  it('refuses Node built-ins and value imports of activities in workflow code', async () => {
    const hits = await ruleHits(
      [
        "import { readFileSync } from 'node:fs';",
        "import crypto from 'crypto';",
        "import { createClaimActivities } from '../../activities/claims/index.ts';",
        'export const x = [readFileSync, crypto, createClaimActivities];',
      ].join('\n'),
      'workflows/claim/workflow.ts',
    );
    expect(hits.filter((h) => h.includes('no Node built-ins'))).toHaveLength(2);
    expect(hits.some((h) => h.includes('activities and infrastructure as types only'))).toBe(true);
  });

  it('allows type-only imports of activities in workflow code', async () => {
    const hits = await ruleHits(
      "import type { ClaimActivities } from '../../activities/claims/index.ts';\nexport type A = ClaimActivities;\n",
      'workflows/claim/workflow.ts',
    );
    expect(hits.filter((h) => h.includes('no-restricted-imports'))).toEqual([]);
  });

  it('holds domain code to the same boundary', async () => {
    const hits = await ruleHits("import { randomUUID } from 'node:crypto';\nexport const id = randomUUID;\n", 'domain/coverage.ts');
    expect(hits.some((h) => h.includes('no Node built-ins'))).toBe(true);
  });

  it('makes an unawaited promise an error', async () => {
    const hits = await ruleHits('async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n}\n', 'api/app.ts');
    expect(hits.some((h) => h.startsWith('@typescript-eslint/no-floating-promises'))).toBe(true);
  });
});
