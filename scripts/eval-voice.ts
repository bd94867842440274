// `npm run eval:voice`: synthetic phone calls reporting claims, end to end through the production dialogue
// and the offline engines: answers spoken by flite in several voices, as 16 kHz audio and as 8 kHz mu-law
// telephone audio, recognized by soundswallower against each question's grammar, read back and confirmed,
// the keypad used after two failures. Prints word error rate, slot accuracy, calls completed without the
// keypad, and recognition's real-time factor. Figures only.
//
//   npm run eval:voice [-- --calls 48 --seed 7]
import { parseArgs } from 'node:util';
import type { Peril } from '../domain/shared/perils.ts';
import { keypadPerils } from '../domain/voice/slots.ts';
import { createFliteSynthesizer } from '../engines/speech/flite.ts';
import { createGrammarRecognizer } from '../engines/speech/soundswallower.ts';
import { runCall, wordErrors, type CallResult, type CallScript, type Channel } from '../test/support/voice-caller.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '48' }, seed: { type: 'string', default: '7' } } });
const calls = Number(values.calls);
let seed = Number(values.seed);
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const today = new Date().toISOString().slice(0, 10);
const context = { today, policyPrefix: 'POL-', currency: 'EUR' };
const voices = ['slt', 'kal16', 'awb', 'rms'];
const channels: Channel[] = ['16k', 'phone'];

function script(): CallScript {
  const daysAgo = Math.floor(random() * 60) + 1;
  const whole = pick([Math.floor(random() * 900) + 50, Math.floor(random() * 9000) + 1000, Math.floor(random() * 40_000) + 10_000]);
  return {
    policyNumber: `POL-${Math.floor(random() * 9000) + 1000}`,
    incidentDate: new Date(Date.parse(`${today}T00:00:00Z`) - daysAgo * 86_400_000).toISOString().slice(0, 10),
    incidentType: pick<Peril>(keypadPerils),
    amount: `${whole}.${random() < 0.2 ? String(Math.floor(random() * 99) + 1).padStart(2, '0') : '00'}`,
    description: 'Someone broke into the garage overnight and took the bike.',
  };
}

const synthesizer = createFliteSynthesizer();
const recognizer = await createGrammarRecognizer();
const results: (CallResult & { voice: string; channel: Channel })[] = [];
const started = Date.now();
for (let i = 0; i < calls; i++) {
  const voice = voices[i % voices.length]!;
  const channel = channels[Math.floor(i / voices.length) % channels.length]!;
  results.push({ ...(await runCall({ script: script(), voice, channel, recognizer, synthesizer, context, variant: i })), voice, channel });
}
recognizer.close();

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
function summary(rs: typeof results) {
  const utterances = rs.flatMap((r) => r.utterances);
  const errors = utterances.reduce(
    (s, u) => {
      const e = wordErrors(u.reference, u.hypothesis);
      return { errors: s.errors + e.errors, words: s.words + e.words };
    },
    { errors: 0, words: 0 },
  );
  const audio = utterances.reduce((s, u) => s + u.seconds, 0);
  const recognition = utterances.reduce((s, u) => s + u.recognitionMs, 0) / 1000;
  const slots = rs.flatMap((r) => (['policyNumber', 'incidentDate', 'incidentType', 'amount'] as const).map((s) => r.state.slots[s]));
  const firstTry = slots.filter((s) => s?.via === 'voice' && s.retries === 0).length;
  return {
    calls: rs.length,
    wer: pct(errors.errors, errors.words),
    allSlotsRight: pct(rs.filter((r) => r.correct).length, rs.length),
    withoutKeypad: pct(rs.filter((r) => !r.keypadUsed && r.state.phase === 'done').length, rs.length),
    slotsFirstTry: pct(firstTry, slots.length),
    rtf: audio > 0 ? (recognition / audio).toFixed(3) : 'n/a',
    utterances: utterances.length,
  };
}

console.log(
  `eval:voice: ${calls} synthetic calls (flite voices ${voices.join(', ')}; 16 kHz and 8 kHz mu-law), soundswallower grammar recognition, ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log('');
const rows: [string, ReturnType<typeof summary>][] = [['all calls', summary(results)]];
for (const c of channels) rows.push([`channel ${c}`, summary(results.filter((r) => r.channel === c))]);
for (const v of voices) rows.push([`voice ${v}`, summary(results.filter((r) => r.voice === v))]);
console.log('                   calls  WER     all slots right  no keypad  slots 1st try  RTF');
for (const [name, s] of rows) {
  console.log(
    `${name.padEnd(18)} ${String(s.calls).padStart(5)}  ${s.wer.padStart(6)}  ${s.allSlotsRight.padStart(15)}  ${s.withoutKeypad.padStart(9)}  ${s.slotsFirstTry.padStart(13)}  ${s.rtf}`,
  );
}
console.log('');
console.log('Targets: every slot right after confirmation in >= 95% of calls; recognition faster than 0.2x real time (RTF < 0.2).');
const wrong = results.filter((r) => !r.correct);
for (const r of wrong.slice(0, 5)) {
  console.log(
    `wrong call (${r.voice}, ${r.channel}): ${JSON.stringify(Object.fromEntries(Object.entries(r.state.slots).map(([k, v]) => [k, v?.value])))} phase ${r.state.phase}`,
  );
}
