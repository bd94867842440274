// The OpenAPI document is the contract: schemathesis (from PyPI, pinned with hashes) generates requests
// from it against the real API on a real system, and fails on any 5xx, any status code the document does
// not state, and any response that does not match its schema. Bounded: fixed seed, examples per operation
// and a time budget.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePythonTool, pythonToolUnavailable, schemathesis } from '../../platform/python-tools.ts';
import { keys, startHarness, type Harness } from '../support/harness.ts';

const unavailable = await pythonToolUnavailable();
if (unavailable) console.warn(`Skipping the API fuzzer: ${unavailable}.`);

describe.skipIf(unavailable !== null)('the API against its OpenAPI document, fuzzed', () => {
  let h: Harness;
  let command: string;
  beforeAll(async () => {
    // Refusals are the point here: the API's per-request warnings would be thousands of lines.
    [h, command] = await Promise.all([startHarness({ LOG_LEVEL: 'error' }), ensurePythonTool(schemathesis)]);
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('answers every generated request with a documented status and shape, and never a 5xx', async () => {
    const args = [
      'run',
      `${h.apiUrl}/openapi.json`,
      '--header',
      `Authorization: Bearer ${keys.admin}`,
      '--checks',
      'not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance',
      '--phases',
      'fuzzing,stateful',
      '--max-examples',
      '10',
      '--max-time',
      '90',
      '--seed',
      '7',
      '--workers',
      '2',
      '--request-timeout',
      '30',
      '--no-color',
    ];
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(command, args, { timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
      );
    });
    const summary = output.slice(output.lastIndexOf('SUMMARY'));
    console.log(`schemathesis: ${/Test cases:\s*\n\s*(.+)/.exec(summary)?.[1] ?? summary.slice(0, 400)}`);
    expect(code, output.slice(-20_000)).toBe(0);
    expect(summary).toMatch(/\d+ generated, \d+ passed/);
  }, 300_000);
});
