// Yes or no to a read-back, as voice-dialogue@1.1.0 hears it: a value is kept only on a clear yes.
const alt = (items: readonly string[]) => items.join(' | ');
const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);

// Safe confirmations (voice-dialogue@1.1.0). A grammar always returns its closest phrase, so it must hold
// the ways people say no ("not right", "no it isn't", "that's not it") and what they say when unsure,
// or those come back as the nearest yes. Only explicit yes forms count as yes; a bare "right" does not
// (it is what "not right" loses its first word to).
const clearYes = [
  'yes',
  'yeah',
  'yep',
  'correct',
  'yes please',
  'yes it is',
  'yes correct',
  'yes that is right',
  "yes that's right",
  'yes that is correct',
  "yes that's correct",
  'that is right',
  "that's right",
  'that is correct',
  "that's correct",
];
const naturalNo = [
  'no',
  'nope',
  'wrong',
  'incorrect',
  'no no',
  'no sorry',
  'no wrong',
  'that is wrong',
  "that's wrong",
  'no that is wrong',
  "no that's wrong",
  'not right',
  'that is not right',
  "that's not right",
  'no that is not right',
  "no that's not right",
  'not correct',
  "that's not correct",
  "no it isn't",
  'no it is not',
  'it is not',
  "it isn't",
  'that is not it',
  "that's not it",
];
const unsureAnswers = ['i do not know', "i don't know", 'repeat', 'say again', 'sorry', 'what', 'pardon', 'hang on', 'wait'];
const negations = new Set(['no', 'not', 'nope', 'wrong', 'incorrect', "isn't", 'nah']);

export const confirmationGrammar = [
  '#JSGF V1.0;',
  'grammar confirmation;',
  `public <answer> = ${alt([...clearYes, ...naturalNo, ...unsureAnswers])};`,
].join('\n');

/** The least share of what was said the recognised words must account for before a yes is taken (eval:voice, tuning voices). */
export const minimumYesCoverage = 0.6;

/**
 * Yes, no, or unsure (null: ask again). Any negation is a no; a yes must be one of the clear forms,
 * heard with at least `minimumConfidence`, its words covering most of the speech (where the engine
 * says how much they do).
 */
export function confirmationHeard(
  heard: { text: string; confidence: number; coverage?: number },
  minimumConfidence: number,
): boolean | null {
  const said = words(heard.text);
  if (said.some((w) => negations.has(w))) return false;
  if (!clearYes.includes(said.join(' '))) return null;
  if (heard.confidence < minimumConfidence) return null;
  if (heard.coverage !== undefined && heard.coverage < minimumYesCoverage) return null;
  return true;
}
