import { createFliteSynthesizer } from './voice/flite.ts';
import { createGrammarRecognizer } from './voice/soundswallower.ts';
import { runCall } from './test/support/voice-caller.ts';
const synth = createFliteSynthesizer(); const rec = await createGrammarRecognizer();
const today = new Date().toISOString().slice(0, 10);
const ctx = { today, policyPrefix: 'POL-', currency: 'EUR' };
for (const voice of ['slt', 'kal16']) for (let i = 0; i < 6; i++) {
  const r = await runCall({ script: { policyNumber: `POL-${1001 + i * 1111}`, incidentDate: '2026-11-0' + (i + 1), incidentType: ['theft', 'fire', 'collision', 'storm', 'glass', 'water_damage'][i] as never, amount: `${[1250, 380, 15000, 99, 4321, 720][i]}.00`, description: 'x' }, voice, channel: i % 2 ? 'phone' : '16k', recognizer: rec, synthesizer: synth, context: ctx, variant: i });
  for (const u of r.utterances) if (u.reference !== u.hypothesis) console.log(voice, '|', u.reference, '=>', u.hypothesis);
}
