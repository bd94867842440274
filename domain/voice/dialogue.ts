// The call as a state machine: ask a slot, hear the answer, read it back, take yes or no, and after two
// failures on a slot switch to the keypad for it. Two silences in a row end the call as a partial intake.
// Pure and deterministic: the voice-intake workflow runs it, and so does `npm run eval:voice`.
import { confirmationGrammar, confirmationHeard } from './confirmation.ts';
import {
  grammars,
  keypadConfirmation,
  keypadQuestion,
  parseConfirmation,
  parseKeypad,
  parseAnswer,
  plausible,
  question,
  readBack,
  slotNames,
  type SlotContext,
  type SlotName,
  type SlotValue,
} from './slots.ts';

/** 1.1.0: safe confirmations (a yes only when clearly heard; natural forms of no; unsure asked again). */
export const dialogueVersion = 'voice-dialogue@1.1.0';

/** Below this the recognizer's guess is not worth reading back: the caller is asked again. */
export const minimumConfidence = 0.35;

export interface FilledSlot {
  readonly value: SlotValue;
  /** How it was given: spoken (and confirmed), or keyed. */
  readonly via: 'voice' | 'keypad';
  readonly confidence: number;
  /** Failed attempts before it was filled. */
  readonly retries: number;
}

export interface TranscriptLine {
  readonly speaker: 'agent' | 'caller';
  readonly text: string;
  /** For the caller: which engine heard it and how sure it was, or that it was keyed. */
  readonly via?: 'voice' | 'keypad' | 'silence';
  readonly confidence?: number;
}

export interface DialogueState {
  readonly slot: SlotName | null;
  readonly phase: 'ask' | 'confirm' | 'done' | 'abandoned';
  readonly keypad: boolean;
  readonly failures: number;
  readonly silences: number;
  readonly candidate: { readonly value: SlotValue; readonly via: 'voice' | 'keypad'; readonly confidence: number } | null;
  readonly slots: Partial<Record<SlotName, FilledSlot>>;
  readonly transcript: readonly TranscriptLine[];
  /** Confirmations as 1.1.0 reads them; absent in calls begun under 1.0.0. */
  readonly safeConfirmations?: boolean;
}

export type CallerAnswer =
  | {
      readonly kind: 'speech';
      readonly text: string;
      readonly confidence: number;
      /** Share of the speech the recognised words account for, where the engine says. */
      readonly coverage?: number;
    }
  /** The description recorded, when no engine can transcribe free speech here. */
  | { readonly kind: 'recording'; readonly reference: string }
  | { readonly kind: 'digits'; readonly digits: string }
  | { readonly kind: 'silence' };

export interface Turn {
  readonly state: DialogueState;
  /** What the agent says next. */
  readonly prompt: string;
  /** What to listen for next: a grammar (JSGF), free speech, or nothing (the call is over). */
  readonly listenFor: { readonly grammar: string | null; readonly keypad: boolean } | null;
}

export interface DialogueContext extends SlotContext {
  readonly currency: string;
  /** False only for calls that began before safe confirmations (the workflow's patch says). */
  readonly safeConfirmations?: boolean;
}

const greeting = 'Hello, you are reporting a claim. I will ask five short questions.';

export function startDialogue(context: DialogueContext): Turn {
  const state: DialogueState = {
    slot: 'policyNumber',
    phase: 'ask',
    keypad: false,
    failures: 0,
    silences: 0,
    candidate: null,
    slots: {},
    transcript: [],
    ...(context.safeConfirmations === false ? {} : { safeConfirmations: true }),
  };
  return say(state, `${greeting} ${question('policyNumber', context.currency)}`);
}

function say(state: DialogueState, prompt: string): Turn {
  const next = { ...state, transcript: [...state.transcript, { speaker: 'agent' as const, text: prompt }] };
  return { state: next, prompt, listenFor: listening(next) };
}

function listening(state: DialogueState): Turn['listenFor'] {
  if (state.phase === 'done' || state.phase === 'abandoned' || !state.slot) return null;
  if (state.phase === 'confirm') return { grammar: state.safeConfirmations ? confirmationGrammar : grammars.confirm, keypad: state.keypad };
  if (state.slot === 'description') return { grammar: null, keypad: false };
  return { grammar: state.keypad ? null : grammars[state.slot], keypad: state.keypad };
}

function heard(state: DialogueState, answer: CallerAnswer): DialogueState {
  const line: TranscriptLine =
    answer.kind === 'speech'
      ? { speaker: 'caller', text: answer.text || '(not understood)', via: 'voice', confidence: answer.confidence }
      : answer.kind === 'digits'
        ? { speaker: 'caller', text: answer.digits, via: 'keypad' }
        : answer.kind === 'recording'
          ? { speaker: 'caller', text: '(description recorded; kept for the adjuster)', via: 'voice' }
          : { speaker: 'caller', text: '(silence)', via: 'silence' };
  return { ...state, transcript: [...state.transcript, line], silences: answer.kind === 'silence' ? state.silences + 1 : 0 };
}

export function answerTurn(before: DialogueState, answer: CallerAnswer, context: DialogueContext): Turn {
  if (before.phase === 'done' || before.phase === 'abandoned' || !before.slot) throw new Error('The call is over');
  const state = heard(before, answer);
  const slot = before.slot;
  if (answer.kind === 'silence') {
    if (state.silences >= 2)
      return say(
        { ...state, phase: 'abandoned' },
        'I did not hear anything. Your answers so far are kept, and an agent will call you back. Goodbye.',
      );
    return say(
      state,
      `Sorry, I did not hear you. ${state.phase === 'confirm' ? 'Please say yes or no.' : currentQuestion(state, context)}`,
    );
  }
  if (slot === 'description') {
    const text = answer.kind === 'speech' ? answer.text : answer.kind === 'recording' ? `(recording ${answer.reference})` : answer.digits;
    return next(
      {
        ...state,
        slots: {
          ...state.slots,
          description: { value: text, via: 'voice', confidence: answer.kind === 'speech' ? answer.confidence : 0, retries: 0 },
        },
      },
      context,
    );
  }

  if (state.phase === 'confirm') {
    const yes =
      answer.kind === 'digits'
        ? keypadConfirmation(answer.digits)
        : answer.kind !== 'speech'
          ? null
          : state.safeConfirmations
            ? confirmationHeard(answer, minimumConfidence)
            : parseConfirmation(answer.text);
    if (yes === null) return failed(state, context, 'Please say yes or no.', true);
    if (yes) {
      const candidate = state.candidate!;
      return next({ ...state, candidate: null, slots: { ...state.slots, [slot]: { ...candidate, retries: state.failures } } }, context);
    }
    return failed({ ...state, candidate: null, phase: 'ask' }, context, "Let's try again.");
  }

  // Asked for the slot's value.
  let value: SlotValue | null = null;
  let confidence = 1;
  let via: 'voice' | 'keypad' = 'voice';
  if (answer.kind === 'digits') {
    value = parseKeypad(slot, answer.digits, context);
    via = 'keypad';
  } else if (answer.kind === 'speech' && answer.confidence >= minimumConfidence) {
    value = parseAnswer(slot, answer.text, context);
    confidence = answer.confidence;
  }
  if (value === null || !plausible(slot, value, context)) return failed(state, context, 'Sorry, I did not get that.');
  return say(
    { ...state, phase: 'confirm', candidate: { value, via, confidence } },
    `${readBack(slot, value, context.currency)}${state.keypad ? ' Press 1 for yes, 2 for no.' : ''}`,
  );
}

function currentQuestion(state: DialogueState, context: DialogueContext): string {
  const slot = state.slot!;
  return slot !== 'description' && state.keypad ? keypadQuestion(slot, context.currency) : question(slot, context.currency);
}

/** A failed attempt: ask again, and after the second failure on this slot switch to the keypad. */
function failed(state: DialogueState, context: DialogueContext, lead: string, confirming = false): Turn {
  const failures = state.failures + 1;
  const keypad = state.keypad || failures >= 2;
  const s: DialogueState = { ...state, failures, keypad };
  if (confirming && failures < 2) return say(s, lead);
  const again: DialogueState = { ...s, phase: 'ask', candidate: null };
  return say(again, `${keypad && !state.keypad ? 'Sorry, that did not work.' : lead} ${currentQuestion(again, context)}`);
}

function next(state: DialogueState, context: DialogueContext): Turn {
  const index = slotNames.indexOf(state.slot!);
  const slot = slotNames[index + 1];
  if (!slot) return say({ ...state, slot: null, phase: 'done', keypad: false, failures: 0 }, 'Thank you. I am opening your claim now.');
  const s: DialogueState = { ...state, slot, phase: 'ask', keypad: false, failures: 0, candidate: null };
  return say(s, `Thank you. ${question(slot, context.currency)}`);
}

/** The values of a finished or abandoned call, for a claim or for the agent who finishes it. */
export function filledValues(state: DialogueState): Partial<Record<SlotName, SlotValue>> {
  return Object.fromEntries(Object.entries(state.slots).map(([k, v]) => [k, v.value]));
}

/**
 * A value the caller confirmed that cannot be used (a policy not on their name): the slot is asked again,
 * counted as a failure, so the keypad follows a second one.
 */
export function rejectValue(state: DialogueState, slot: Exclude<SlotName, 'description'>, reason: string, context: DialogueContext): Turn {
  const { [slot]: rejected, ...slots } = state.slots;
  const transcript = state.transcript.slice(0, -1); // the question that followed is not asked now
  return failed({ ...state, transcript, slot, slots, phase: 'ask', candidate: null, failures: rejected?.retries ?? 0 }, context, reason);
}

/**
 * The least confidence at which a transcribed description counts as heard. Chosen on the development
 * voices (flite's four and espeak-ng's eight, clean, phone and noisy phone: 36 descriptions transcribed by
 * Moonshine): below 0.80, nine of twelve transcripts had a quarter or more of their words wrong; from it,
 * two of twenty-four. The untuned callers of eval:voice were not used.
 */
export const descriptionHeardConfidence = 0.8;

/**
 * Whether the caller's description has been heard in words an adjuster and the rules can rely on: spoken,
 * transcribed (not a recording kept for a person), at least three words, with the transcriber's
 * confidence at least descriptionHeardConfidence. Otherwise the claim says nobody has heard it, and
 * automation does not pay it (DESCRIPTION_NOT_HEARD).
 */
export function descriptionHeard(description: FilledSlot | undefined): boolean {
  if (!description || description.via !== 'voice') return false;
  const text = String(description.value).trim();
  if (/^\(recording [0-9a-f]{64}\)$/.test(text)) return false;
  return text.split(/\s+/).filter(Boolean).length >= 3 && description.confidence >= descriptionHeardConfidence;
}
