// The phrasings callers use beside the textbook ones (issue 16): relative dates, amounts with "about" and a
// currency's name, what happened in their own words. Read by the dialogue's parser, and heard by the
// grammar engine through its front end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grammars, parseAnswer, parseSpoken } from '../../domain/voice/slots.ts';
import { decodeWav } from '../../engines/speech/audio.ts';
import { createFliteSynthesizer } from '../../engines/speech/flite.ts';
import { createGrammarRecognizer } from '../../engines/speech/soundswallower.ts';

// A Wednesday.
const context = { today: '2026-12-09', policyPrefix: 'POL-', currency: 'MYR' };

describe('natural phrasings, read', () => {
  it('reads relative dates as the last such day', () => {
    const date = (said: string) => parseSpoken('incidentDate', said, context);
    expect(date('two days ago')).toBe('2026-12-07');
    expect(date('it happened twelve days ago')).toBe('2026-11-27');
    expect(date('a week ago')).toBe('2026-12-02');
    expect(date('last night')).toBe('2026-12-08');
    expect(date('this morning')).toBe('2026-12-09');
    expect(date('on monday')).toBe('2026-12-07');
    expect(date('last monday')).toBe('2026-12-07');
    expect(date('wednesday')).toBe('2026-12-09');
    expect(date('last wednesday')).toBe('2026-12-02');
    expect(date('the fourteenth of november twenty twenty six')).toBe('2026-11-14');
    expect(date('november fourteenth')).toBe('2026-11-14');
    expect(date('ninety days ago')).toBeNull();
  });

  it('reads an amount said with "about" and the name of its currency', () => {
    const amount = (said: string) => parseSpoken('amount', said, context);
    expect(amount("it's about fifty ringgit")).toBe('50.00');
    expect(amount('about four hundred euros')).toBe('400.00');
    expect(amount('twelve ringgit and fifty sen')).toBe('12.50');
    expect(amount('maybe two thousand kronor')).toBe('2000.00');
  });

  it('reads what happened in a caller’s words', () => {
    const peril = (said: string) => parseSpoken('incidentType', said, context);
    expect(peril('somebody crashed into me')).toBe('collision');
    expect(peril('someone hit me')).toBe('collision');
    expect(peril('somebody broke in')).toBe('burglary');
    expect(peril('it caught fire')).toBe('fire');
    expect(peril('my car was stolen')).toBe('theft');
  });
});

describe('natural phrasings, heard', () => {
  let recognizer: Awaited<ReturnType<typeof createGrammarRecognizer>>;
  beforeAll(async () => {
    recognizer = await createGrammarRecognizer();
  });
  afterAll(() => recognizer?.close());

  it('hears them through the grammars, on a clean line', async () => {
    const flite = createFliteSynthesizer();
    const heard = async (slot: 'incidentDate' | 'amount' | 'incidentType', said: string) => {
      const audio = decodeWav(await flite.synthesize(said, 'kal16'), 60);
      return parseSpoken(slot, (await recognizer.recognize(audio, grammars[slot])).text, context);
    };
    expect(await heard('incidentDate', 'two days ago')).toBe('2026-12-07');
    expect(await heard('incidentDate', 'last monday')).toBe('2026-12-07');
    expect(await heard('amount', 'about fifty ringgit')).toBe('50.00');
    expect(await heard('incidentType', 'somebody crashed into me')).toBe('collision');
  });
});

describe('calls begun before the phrasings were read', () => {
  it('read their answers as they were then, so that they replay as they ran', () => {
    const legacy = { ...context, legacyPhrasings: true };
    expect(parseSpoken('incidentType', 'it burned', legacy)).toBeNull();
    expect(parseSpoken('incidentType', 'it burned', context)).toBe('fire');
    expect(parseSpoken('incidentDate', 'two days ago', legacy)).toBeNull();
    expect(parseSpoken('incidentDate', 'yesterday', legacy)).toBe('2026-12-08');
    expect(parseSpoken('incidentDate', 'november fourteenth', legacy)).toBe('2026-11-14');
    expect(parseSpoken('amount', 'about fifty ringgit', legacy)).toBeNull();
    expect(parseSpoken('amount', 'about fifty euros', legacy)).toBe('50.00');
    expect(parseAnswer('incidentDate', 'November 14th.', legacy)).toBeNull();
    expect(parseAnswer('incidentDate', 'November 14th.', context)).toBe('2026-11-14');
  });
});
