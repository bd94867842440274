// Answering other insurers' private set intersection questions (platform/psi): an authenticated peer sends
// its claim's identifiers blinded; this engine answers with them blinded again and with its own claims'
// identifiers (the last INSUREFLOW_PSI_DAYS) blinded by its key, shuffled. Neither side's identifiers are
// ever sent in the clear. A peer can probe by asking about guesses, so each is bounded in points a
// question and questions a minute, and every question is logged: who asked, how many points, when.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import type { Database } from '../db/client.ts';
import { identifiersOfClaims } from '../db/shared-identifiers.ts';
import type { Logger } from '../platform/logger.ts';
import { answer, decodePoints, encodePoints, newPsiKey, preparePeerSet, PsiProtocolError, type PsiKey } from '../platform/psi/ecdh-psi.ts';
import { psiPath, requestSchema } from '../platform/psi/protocol.ts';
import { ApiError, validationError } from './errors.ts';

export interface PsiServerOptions {
  /** Peers allowed to ask, by name, with the key each presents. */
  readonly peers: readonly { readonly name: string; readonly key: string }[];
  readonly maxPointsPerQuestion: number;
  readonly questionsPerMinute: number;
  /** How far back this engine's own claims are compared. */
  readonly days: number;
  /** A new blinding key (and prepared set) after this long, so old answers cannot be combined with new. */
  readonly keyLifetimeMs?: number;
}

const digest = (key: string) => createHash('sha256').update(key).digest();

export function peerRoutes({ db, logger, options }: { db: Database; logger: Logger; options: PsiServerOptions }): Router {
  const router = Router();
  const known = options.peers.map((p) => ({ name: p.name, digest: digest(p.key) }));
  const asked = new Map<string, number[]>();
  let prepared: { key: PsiKey; points: Uint8Array[]; version: string; madeAt: number } | null = null;

  async function ownSet() {
    const since = new Date(Date.now() - options.days * 86_400_000);
    const values = [...new Set([...(await identifiersOfClaims(db, { since })).values()].flat().map((i) => i.value))].sort();
    // The set changes when claims or documents do; the key when its lifetime ends.
    const version = createHash('sha256').update(values.join('\n')).digest('hex');
    const fresh = prepared && prepared.version === version && Date.now() - prepared.madeAt < (options.keyLifetimeMs ?? 3_600_000);
    if (!fresh) {
      const key = newPsiKey();
      prepared = { key, points: preparePeerSet(key, values), version, madeAt: Date.now() };
    }
    return prepared!;
  }

  router.post(psiPath, express.json({ limit: `${Math.ceil((options.maxPointsPerQuestion * 44) / 1024) + 4}kb` }), async (req, res) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const presented = match?.[1] ? digest(match[1]) : null;
    const peer = presented ? known.find((k) => timingSafeEqual(k.digest, presented)) : undefined;
    if (!peer) throw new ApiError(401, 'UNKNOWN_PEER', 'Only configured insurers may ask; send your peer key as a bearer token.');
    const now = Date.now();
    const recent = (asked.get(peer.name) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= options.questionsPerMinute) {
      logger.warn({ peer: peer.name }, 'peer asked too often; refused');
      res.set('retry-after', '60');
      throw new ApiError(429, 'TOO_MANY_QUESTIONS', `At most ${options.questionsPerMinute} questions a minute.`);
    }
    asked.set(peer.name, [...recent, now]);
    const parsed = requestSchema.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error, 'body');
    let points: Uint8Array[];
    try {
      points = decodePoints(parsed.data.points, options.maxPointsPerQuestion);
    } catch (error) {
      throw new ApiError(422, 'INVALID_POINTS', (error as Error).message);
    }
    const own = await ownSet();
    try {
      const reply = answer(own.key, points, own.points, parsed.data.mode);
      logger.info({ peer: peer.name, points: points.length, mode: parsed.data.mode, setSize: own.points.length }, 'answered a peer');
      res.json({ doubled: encodePoints(reply.doubled), peer: encodePoints(reply.peer), setSize: reply.peer.length });
    } catch (error) {
      if (error instanceof PsiProtocolError) throw new ApiError(422, 'INVALID_POINTS', error.message);
      throw error;
    }
  });
  return router;
}
