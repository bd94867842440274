// A witness (C2SP tlog-witness): another party — an insurer, a regulator — that remembers the last
// checkpoint it saw of each log it follows and cosigns a new one only when the log proves it consistent with
// that one. A log that showed two parties two different histories cannot get both cosigned by the same
// witness, and a checkpoint without the witnesses' cosignatures is not to be trusted.
//
// The request (POST /add-checkpoint, as the protocol writes it): "old <size>", the consistency proof from
// that size to the new checkpoint's (one base64 hash a line), a blank line, then the signed checkpoint.
// 200 and the cosignature line; 409 and the size the witness holds when `old` is not it; 403 for a log it
// does not follow or a signature that does not verify; 422 when the proof does not hold; 400 when malformed.
import { verifyConsistency } from './merkle.ts';
import { cosignatureLine, openNote, parseCheckpoint, type NoteSigner, type Verifier } from './note.ts';

export interface WitnessedLog {
  readonly size: number;
  /** base64 tree head */
  readonly root: string;
}

/** Where a witness keeps what it last cosigned, per log origin. */
export interface WitnessState {
  get(origin: string): Promise<WitnessedLog | null>;
  put(origin: string, seen: WitnessedLog): Promise<void>;
}

export interface WitnessAnswer {
  readonly status: 200 | 400 | 403 | 409 | 422;
  readonly body: string;
}

export function createWitness({ signer, logs, state }: { signer: NoteSigner; logs: readonly Verifier[]; state: WitnessState }) {
  // One checkpoint at a time: two requests racing must not both advance from the same state.
  let queue: Promise<unknown> = Promise.resolve();

  async function add(request: string): Promise<WitnessAnswer> {
    const blank = request.indexOf('\n\n');
    if (blank < 0) return { status: 400, body: 'expected "old <size>", the proof, a blank line and the checkpoint\n' };
    const [oldLine, ...proofLines] = request.slice(0, blank).split('\n');
    const oldMatch = /^old (0|[1-9]\d*)$/.exec(oldLine ?? '');
    if (!oldMatch) return { status: 400, body: 'the first line must be "old <size>"\n' };
    const old = Number(oldMatch[1]);
    const proof = proofLines.map((l) => new Uint8Array(Buffer.from(l, 'base64')));
    if (proof.some((p) => p.length !== 32)) return { status: 400, body: 'each proof line must be a base64 SHA-256 hash\n' };
    const note = request.slice(blank + 2);
    let opened;
    let checkpoint;
    try {
      opened = openNote(note, logs);
      checkpoint = parseCheckpoint(opened.body);
    } catch (error) {
      return { status: 400, body: `${(error as Error).message}\n` };
    }
    if (!logs.some((l) => l.name === checkpoint.origin))
      return { status: 403, body: `not a log this witness follows: ${checkpoint.origin}\n` };
    if (!opened.verifiedBy.includes(checkpoint.origin)) return { status: 403, body: 'the checkpoint is not signed by its log\n' };
    const seen = await state.get(checkpoint.origin);
    const held = seen?.size ?? 0;
    if (old !== held) return { status: 409, body: `${held}\n` };
    if (checkpoint.size < held) return { status: 400, body: `the checkpoint (${checkpoint.size}) is older than the one held (${held})\n` };
    const heldRoot = seen ? new Uint8Array(Buffer.from(seen.root, 'base64')) : new Uint8Array();
    if (seen && !verifyConsistency(held, checkpoint.size, proof, heldRoot, checkpoint.root))
      return { status: 422, body: `the log did not prove checkpoint ${checkpoint.size} consistent with ${held}\n` };
    await state.put(checkpoint.origin, { size: checkpoint.size, root: Buffer.from(checkpoint.root).toString('base64') });
    return { status: 200, body: cosignatureLine(opened.body, signer) };
  }

  return {
    addCheckpoint(request: string): Promise<WitnessAnswer> {
      const answer = queue.then(() => add(request));
      queue = answer.catch(() => undefined);
      return answer;
    },
  };
}
