// `npm run bench:claims [-- --claims 200 --concurrency 8]`: how fast a claim goes from HTTP submission
// to a recorded decision on this machine, through the real API, Temporal dev server, workers and
// embedded database. Prints figures; asserts nothing.
import { parseArgs } from 'node:util';
import { startScratchSystem } from '../system/scratch.ts';
import { encode, rasterize, textPdf } from '../test/support/documents.ts';

const { values } = parseArgs({
  options: {
    claims: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '8' },
  },
});
const total = Number(values.claims);
const concurrency = Number(values.concurrency);

const { system, stop } = await startScratchSystem('error');

const today = new Date().toISOString().slice(0, 10);

/** Distinct scanned receipts (distinct bytes, so none is recognised as a re-upload), made before timing. */
async function receipts(count: number): Promise<Buffer[]> {
  const made: Buffer[] = [];
  for (let n = 0; n < count; n++) {
    const amount = `${600 + (n % 900)}.00`;
    const [page] = await rasterize(
      await textPdf([['CITY GLASS LTD', 'TAX INVOICE', `Date: ${today}`, `Ref ${n}`, `TOTAL EUR ${amount}`]]),
      150,
    );
    made.push(await encode.png(page!));
  }
  return made;
}
const scans = await receipts(total);

/** Milliseconds from POST to a response carrying the decision (Prefer: wait holds it until then). */
async function submit(n: number, withDocument: boolean): Promise<number> {
  const claim = {
    policyNumber: 'POL-1001',
    peril: n % 4 === 0 ? 'theft' : 'collision',
    incidentDate: today,
    claimedAmount: { amount: `${600 + (n % 900)}.00`, currency: 'EUR' },
    description: `Benchmark claim ${n}`,
  };
  let body: RequestInit['body'];
  const headers: Record<string, string> = { authorization: 'Bearer dev-claimant-key', prefer: 'wait=30' };
  if (withDocument) {
    const form = new FormData();
    form.append('claim', JSON.stringify(claim));
    form.append('documents', new Blob([scans[n % scans.length]!], { type: 'image/png' }), `receipt-${n}.png`);
    body = form;
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(claim);
  }
  const started = performance.now();
  const response = await fetch(`${system.apiUrl}/v1/claims`, { method: 'POST', headers, body });
  const result = (await response.json()) as { status?: string; error?: unknown };
  const ms = performance.now() - started;
  // Decided either way: approved by automation, or in review with its reasons (theft needs documents, say).
  if (response.status !== 201 || !['APPROVED', 'IN_REVIEW', 'REFERRED'].includes(result.status ?? '')) {
    throw new Error(`claim ${n}: HTTP ${response.status} ${JSON.stringify(result)}`);
  }
  return ms;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function phase(label: string, count: number, parallel: number, withDocument: boolean): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) latencies.push(await submit(next++, withDocument));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const f = (ms: number) => `${ms.toFixed(0)} ms`.padStart(8);
  console.log(
    `${label.padEnd(34)} ${String(count).padStart(5)} claims  p50 ${f(quantile(latencies, 0.5))}  p95 ${f(quantile(latencies, 0.95))}  max ${f(latencies.at(-1) ?? 0)}  ${(count / seconds).toFixed(1).padStart(6)} claims/s`,
  );
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const idleRss = process.memoryUsage().rss;

try {
  console.log(`Submission to recorded decision, through API + Temporal + workers + PGlite (${process.version}, ${total} claims per phase)`);
  await submit(-1, false); // warm-up: first workflow task, first query plans
  await phase('JSON, one at a time', Math.min(total, 50), 1, false);
  await phase(`JSON, ${concurrency} concurrent`, total, concurrency, false);
  await phase(`with a scanned receipt (OCR), ${concurrency} concurrent`, total, concurrency, true);
  const memory = process.memoryUsage();
  console.log(
    `Memory of the API+worker process: RSS ${mib(idleRss)} after start-up, ${mib(memory.rss)} after the run (JS heap ${mib(memory.heapUsed)})`,
  );
} finally {
  await stop();
}
