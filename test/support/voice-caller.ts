// A synthetic caller: answers the intake's questions with speech made by the synthesis engine (in one of
// its voices, as 16 kHz audio or as 8 kHz mu-law telephone audio), says yes or no to each read-back by
// whether it is right, and keys digits when asked to use the keypad. Used by `npm run eval:voice` and the
// voice tests; the recognizer and the dialogue are the production ones.
import { editDistance } from '../../domain/shared/edit-distance.ts';
import type { DialogueContext, CallerAnswer, DialogueState } from '../../domain/voice/dialogue.ts';
import { answerTurn, startDialogue } from '../../domain/voice/dialogue.ts';
import { keypadPerils, perilPhrases, months, type SlotName } from '../../domain/voice/slots.ts';
import { ordinalWords, sayCardinal, sayYear, unitWords } from '../../domain/voice/spoken-numbers.ts';
import { decodeWav, encodeWav, resample, type Audio } from '../../engines/speech/audio.ts';
import type { SpeechRecognizer, SpeechSynthesizer } from '../../engines/speech/engines.ts';
import type { Peril } from '../../domain/shared/perils.ts';

export interface CallScript {
  readonly policyNumber: string;
  readonly incidentDate: string;
  readonly incidentType: Peril;
  /** Decimal text, e.g. "1250.00". */
  readonly amount: string;
  readonly description: string;
}

/** 16 kHz as recorded; 8 kHz mu-law as a phone line carries it; the same with line noise at about 24 dB SNR. */
export type Channel = '16k' | 'phone' | 'phone-noisy';

/** How callers say yes, and no: more ways than the grammar holds, as people do. */
const yesSaid = ['yes', 'yes that is right', 'yeah', 'correct', "that's right"];
const noSaid = [
  'no',
  "that's wrong",
  'no that is wrong',
  'not right',
  "no it isn't",
  'nope',
  'incorrect',
  "that's not it",
  "no that's not right",
  'no, not at all',
];

const digitWords = (s: string) => s.split('').map((c) => (/\d/.test(c) ? unitWords[Number(c)] : c.toLowerCase()));

/** How a caller says the value; `variant` picks among the ways people say it. */
export function spokenAnswer(slot: Exclude<SlotName, 'description'>, script: CallScript, variant: number, today: string): string {
  switch (slot) {
    case 'policyNumber': {
      const spelled = digitWords(script.policyNumber.replace(/-/g, '')).join(' ');
      return variant % 2 === 0 ? spelled : `my policy number is ${spelled}`;
    }
    case 'incidentDate': {
      const [y, m, d] = script.incidentDate.split('-').map(Number) as [number, number, number];
      const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      if (variant % 3 === 2 && script.incidentDate === yesterday) return 'yesterday';
      // As people say a recent day: "five days ago".
      const daysAgo = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${script.incidentDate}T00:00:00Z`)) / 86_400_000);
      if (variant % 4 === 3 && daysAgo >= 2 && daysAgo <= 20) return `${sayCardinal(daysAgo)} days ago`;
      const ordinal = ordinalWords[d - 1];
      const month = months[m - 1];
      return variant % 3 === 0 ? `the ${ordinal} of ${month} ${sayYear(y)}` : `${month} ${ordinal}`;
    }
    case 'incidentType': {
      const phrases = perilPhrases[script.incidentType];
      return phrases[variant % phrases.length]!;
    }
    case 'amount': {
      const [whole, cents] = script.amount.split('.') as [string, string];
      const n = Number(whole);
      // "twelve hundred and fifty" is how many people say 1250.
      const said =
        variant % 2 === 1 && n >= 1100 && n < 10_000 && Math.floor(n / 100) % 10 !== 0
          ? `${sayCardinal(Math.floor(n / 100))} hundred${n % 100 ? ` and ${sayCardinal(n % 100)}` : ''}`
          : sayCardinal(n);
      // Some name the currency, as the question does ("about four hundred euros").
      const currency = variant % 4 === 2 ? ' euros' : '';
      return `${variant % 3 === 0 ? 'about ' : ''}${said}${currency}${cents !== '00' ? ` and ${sayCardinal(Number(cents))} cents` : ''}`;
    }
  }
}

function keypadAnswer(slot: Exclude<SlotName, 'description'>, script: CallScript): string {
  switch (slot) {
    case 'policyNumber':
      return `${script.policyNumber.replace(/\D/g, '')}#`;
    case 'incidentDate': {
      const [y, m, d] = script.incidentDate.split('-') as [string, string, string];
      return `${d}${m}${y}#`;
    }
    case 'incidentType':
      return String(keypadPerils.indexOf(script.incidentType) + 1);
    case 'amount':
      return `${script.amount.replace(/\.00$/, '').replace('.', '*')}#`;
  }
}

/** The speech as the recognizer would receive it from this channel. */
export async function speak(
  synthesizer: SpeechSynthesizer,
  text: string,
  voice: string,
  channel: Channel,
): Promise<{ wav: Buffer; audio: Audio }> {
  const wav = await synthesizer.synthesize(text, voice);
  if (channel === '16k') return { wav, audio: decodeWav(wav, 600) };
  const narrow = resample(decodeWav(wav, 600), 8_000);
  const phone = encodeWav(channel === 'phone-noisy' ? withNoise(narrow, 24, text.length) : narrow, 'mulaw');
  return { wav: phone, audio: decodeWav(phone, 600) };
}

/** White noise at `snrDb` below the speech's power, seeded so that a run repeats. */
function withNoise(audio: Audio, snrDb: number, seed: number): Audio {
  let state = seed + 1;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const power = audio.samples.reduce((s, x) => s + x * x, 0) / Math.max(1, audio.samples.length);
  const sd = Math.sqrt(power / 10 ** (snrDb / 10));
  const samples = Float32Array.from(
    audio.samples,
    (x) => x + sd * Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random()),
  );
  return { ...audio, samples };
}

export interface Utterance {
  /** The question answered: a slot's value, its confirmation, or the description (free speech). */
  readonly slot: SlotName;
  readonly confirming: boolean;
  readonly reference: string;
  readonly hypothesis: string;
  readonly seconds: number;
  readonly recognitionMs: number;
}

export interface CallResult {
  readonly state: DialogueState;
  readonly utterances: readonly Utterance[];
  readonly keypadUsed: boolean;
  readonly correct: boolean;
  /** Read-backs the caller said no to by voice, and how many of those values were kept as if yes. */
  readonly noSaid: number;
  readonly noTakenAsYes: number;
}

const structured = ['policyNumber', 'incidentDate', 'incidentType', 'amount'] as const;

/** Plays one call to the end with the production dialogue and recognizer. */
export async function runCall(options: {
  script: CallScript;
  voice: string;
  channel: Channel;
  recognizer: SpeechRecognizer;
  synthesizer: SpeechSynthesizer;
  context: DialogueContext;
  variant: number;
}): Promise<CallResult> {
  const { script, context } = options;
  const utterances: Utterance[] = [];
  let keypadUsed = false;
  let turn = startDialogue(context);
  let attempt = 0;
  let noes = 0;
  let noTakenAsYes = 0;
  while (turn.listenFor) {
    const { state } = turn;
    const slot = state.slot!;
    let answer: CallerAnswer;
    let text: string;
    if (slot === 'description') {
      text = script.description;
    } else if (state.phase === 'confirm') {
      const right = state.candidate?.value === (script as unknown as Record<string, string>)[slot];
      const way = options.variant + attempt;
      text = turn.listenFor.keypad ? (right ? '1' : '2') : right ? yesSaid[way % yesSaid.length]! : noSaid[way % noSaid.length]!;
    } else if (turn.listenFor.keypad) {
      text = keypadAnswer(slot, script);
    } else {
      text = spokenAnswer(slot, script, options.variant + attempt, context.today);
    }
    attempt++;
    if (turn.listenFor.keypad) {
      keypadUsed = true;
      answer = { kind: 'digits', digits: text };
    } else if (turn.listenFor.grammar === null && !options.recognizer.freeSpeech) {
      answer = { kind: 'recording', reference: 'synthetic' };
    } else {
      const { audio } = await speak(options.synthesizer, text, options.voice, options.channel);
      const started = performance.now();
      const heard = await options.recognizer.recognize(audio, turn.listenFor.grammar);
      utterances.push({
        slot,
        confirming: state.phase === 'confirm',
        reference: text,
        hypothesis: heard.text,
        seconds: audio.samples.length / audio.sampleRate,
        recognitionMs: performance.now() - started,
      });
      answer = {
        kind: 'speech',
        text: heard.text,
        confidence: heard.confidence,
        ...(heard.coverage !== undefined ? { coverage: heard.coverage } : {}),
      };
    }
    turn = answerTurn(state, answer, context);
    if (state.phase === 'confirm' && slot !== 'description' && answer.kind === 'speech' && noSaid.includes(text)) {
      noes++;
      if (turn.state.slots[slot] && !state.slots[slot]) noTakenAsYes++;
    }
  }
  const values = turn.state.slots;
  const correct =
    turn.state.phase === 'done' && structured.every((s) => values[s]?.value === (script as unknown as Record<string, string>)[s]);
  return { state: turn.state, utterances, keypadUsed, correct, noSaid: noes, noTakenAsYes };
}

/** Word error rate: word-level edit distance over the reference's length. */
export function wordErrors(reference: string, hypothesis: string): { errors: number; words: number } {
  const r = reference.toLowerCase().split(/\s+/).filter(Boolean);
  const h = hypothesis.toLowerCase().split(/\s+/).filter(Boolean);
  return { errors: editDistance(r, h), words: r.length };
}
