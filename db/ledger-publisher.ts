// Publishing the decision ledger: every few seconds, when decisions were added, a signed checkpoint over
// the tree; then each configured witness is shown it with a consistency proof from the last checkpoint that
// witness cosigned, and its cosignature is kept beside the checkpoint. A witness that is down or refuses is
// logged and asked again next time; it never holds up a decision.
import type { Logger } from '../platform/logger.ts';
import { openNote, parseVerifierKey, type Verifier } from '../platform/ledger/note.ts';
import type { Database } from './client.ts';
import { ledgerCosignatures } from './ledger.ts';
import { lastCosignedSize, type LedgerLog } from './ledger-log.ts';

export interface WitnessPeer {
  readonly url: string;
  readonly verifier: Verifier;
}

export function witnessPeers(config: readonly { url: string; verifierKey: string }[]): WitnessPeer[] {
  return config.map((w) => ({ url: w.url.replace(/\/$/, ''), verifier: parseVerifierKey(w.verifierKey) }));
}

const b64 = (hexHash: string) => Buffer.from(hexHash, 'hex').toString('base64');

/** Shows the latest checkpoint to one witness; returns the size it cosigned, or throws why not. */
export async function askWitness(db: Database, log: LedgerLog, peer: WitnessPeer): Promise<number | null> {
  const latest = await log.latestCheckpoint();
  if (!latest) return null;
  let old = await lastCosignedSize(db, peer.verifier.name);
  if (old >= latest.treeSize && old > 0) return old;
  for (let attempt = 0; attempt < 2; attempt++) {
    const proof = old > 0 && old < latest.treeSize ? await log.consistency(old, latest.treeSize) : [];
    const body = `old ${old}\n${proof.map((h) => `${b64(h)}\n`).join('')}\n${latest.note}`;
    const res = await fetch(`${peer.url}/add-checkpoint`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    // The witness holds another size than we thought (it cosigned for another process, or lost state).
    if (res.status === 409 && /^\d+\n?$/.test(text)) {
      old = Number(text.trim());
      continue;
    }
    if (res.status !== 200) throw new Error(`witness ${peer.verifier.name} answered ${res.status}: ${text.trim()}`);
    const cosigned = openNote(`${latest.note}${text}`, [peer.verifier]).cosignedBy;
    if (!cosigned.some((c) => c.name === peer.verifier.name))
      throw new Error(`witness ${peer.verifier.name} sent a cosignature that does not verify`);
    await db
      .insert(ledgerCosignatures)
      .values({ treeSize: latest.treeSize, witness: peer.verifier.name, line: text })
      .onConflictDoNothing();
    return latest.treeSize;
  }
  throw new Error(`witness ${peer.verifier.name} keeps answering that it holds another tree size`);
}

export function startLedgerPublisher({
  db,
  log,
  witnesses,
  everyMs,
  logger,
}: {
  db: Database;
  log: LedgerLog;
  witnesses: readonly WitnessPeer[];
  everyMs: number;
  logger: Logger;
}): { stop(): Promise<void>; runOnce(): Promise<void> } {
  let running: Promise<void> | null = null;
  const runOnce = async () => {
    const checkpoint = await log.publishCheckpoint();
    if (!checkpoint || checkpoint.treeSize === 0) return;
    for (const peer of witnesses) {
      try {
        await askWitness(db, log, peer);
      } catch (error) {
        logger.warn({ err: error, witness: peer.verifier.name }, 'witness did not cosign the ledger checkpoint');
      }
    }
  };
  const tick = () => {
    if (running) return;
    running = runOnce()
      .catch((error: unknown) => logger.warn({ err: error }, 'ledger checkpoint failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
