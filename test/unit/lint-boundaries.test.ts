// The determinism boundary is enforced by lint: prove the rules fire on workflow and domain code.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/tools.ts';

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
    const hits = await ruleHits("import { randomUUID } from 'node:crypto';\nexport const id = randomUUID;\n", 'domain/claims/coverage.ts');
    expect(hits.some((h) => h.includes('no Node built-ins'))).toBe(true);
  });

  it('lets workflow and domain code import values only from the folders and packages on their allow-list', async () => {
    // Engines (OCR, AI, voice, payments) were never on the old deny-list: the allow-list keeps them out.
    const domainHits = await ruleHits(
      "import { scaleImage } from '../../engines/documents/images.ts';\nimport { z } from 'zod';\nimport { displayAmount } from '../shared/money.ts';\nimport type { AiProvider } from '../../engines/ai/provider.ts';\nexport const x = [scaleImage, z, displayAmount];\nexport type P = AiProvider;\n",
      'domain/claims/coverage.ts',
    );
    expect(domainHits.filter((h) => h.startsWith('local/layer-imports'))).toEqual([
      'local/layer-imports: domain/ may import values only from domain/ (not engines/documents/images.ts); import types with "import type".',
    ]);
    const workflowHits = await ruleHits(
      "import { createOfflineProvider } from '../../engines/ai/offline.ts';\nimport express from 'express';\nimport { taskQueues } from '../../platform/temporal/task-queues.ts';\nexport const x = [createOfflineProvider, express, taskQueues];\n",
      'workflows/claim/workflow.ts',
    );
    expect(workflowHits.filter((h) => h.startsWith('local/layer-imports'))).toHaveLength(2);
  });

  it('fails a file over 350 lines unless a comment at its top says why it is one', async () => {
    const body = Array.from({ length: 360 }, (_, i) => `export const line${i} = ${i};`).join('\n');
    expect((await ruleHits(`// Many constants.\n${body}\n`, 'api/app.ts')).some((h) => h.startsWith('local/file-length'))).toBe(true);
    expect(
      (await ruleHits(`// Many constants.\n// long file: one constant per line, generated for this test\n${body}\n`, 'api/app.ts')).some(
        (h) => h.startsWith('local/file-length'),
      ),
    ).toBe(false);
  });

  it('makes an unawaited promise an error', async () => {
    const hits = await ruleHits('async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n}\n', 'api/app.ts');
    expect(hits.some((h) => h.startsWith('@typescript-eslint/no-floating-promises'))).toBe(true);
  });
});
