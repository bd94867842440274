// Saving a workflow's history for the replay test, calling the API as a scenario's client, and the
// underwriting, appeal and voice-intake scenarios of `npm run histories:capture` (scripts/capture-histories.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { and, eq } from 'drizzle-orm';
import { notifications } from '../../db/schema.ts';
import { projectRoot } from '../../platform/tools.ts';
import { encode, rasterize, textPdf } from '../../test/support/documents.ts';
import { api, applicationBody, until, youngRider } from '../../test/support/harness.ts';
import type { startTimeSkippingSystem } from '../../test/support/time-skipping.ts';
import { decodeWav, encodeWav, resample } from '../../engines/speech/audio.ts';
import { createFliteSynthesizer } from '../../engines/speech/flite.ts';
import { appealWorkflowId } from '../../workflows/appeal/messages.ts';

/** The underwriting workflow's histories, by its own version. */
export const underwritingHistoriesDir = path.join(projectRoot, 'test', 'histories', 'underwriting-v2');
/** The appeal workflow's histories, by its own version. */
export const appealHistoriesDir = path.join(projectRoot, 'test', 'histories', 'appeal-v1');
/** The voice-intake workflows' histories, by their own version. */
export const voiceHistoriesDir = path.join(projectRoot, 'test', 'histories', 'voice-v3');

export async function save(client: Client, workflowId: string, name: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, `${historyToJSON(history)}\n`);
  console.log(`${path.relative(projectRoot, file)}  (${history.events?.length ?? 0} events, from ${workflowId})`);
}

/**
 * Accept, rated, refer then accept, proposed decline then declined, evidence confirming and contradicting
 * the application, a disclosure the AI refers, a senior underwriter's acceptance: through the API.
 */
export async function captureUnderwriting(apiUrl: string, temporal: Client): Promise<void> {
  const application = (overrides: Record<string, unknown>) =>
    applicationBody({
      applicant: { name: 'Scenario Applicant', dateOfBirth: '1980-01-01' },
      vehicle: { registration: 'ABC 123', year: 2018, class: 3, value: { amount: '80000', currency: 'SEK' } },
      licenceYears: 20,
      ...overrides,
    });
  const withEvidence = async (body: Record<string, unknown>, claimsOnRecord: number) => {
    const form = new FormData();
    form.append('application', JSON.stringify(body));
    const [licence] = await rasterize(
      await textPdf([['DRIVING LICENCE', 'Name: APPLICANT SCENARIO', 'Date of birth: 01.01.1980']], { fontSize: 22 }),
    );
    form.append('documents', new Blob([await encode.png(licence!)], { type: 'image/png' }), 'licence.png');
    form.append(
      'documents',
      new Blob(
        [await textPdf([['VEHICLE REGISTRATION CERTIFICATE', 'Registration number: ABC 123', 'Registered keeper: Scenario Applicant']])],
        { type: 'application/pdf' },
      ),
      'registration.pdf',
    );
    form.append(
      'documents',
      new Blob([await textPdf([['CLAIMS HISTORY', 'Policyholder: Scenario Applicant', `Number of claims: ${claimsOnRecord}`]])], {
        type: 'application/pdf',
      }),
      'claims-history.pdf',
    );
    return form;
  };
  const scenarios: { name: string; body: Record<string, unknown> | FormData; decision?: Record<string, unknown>; key?: string }[] = [
    { name: 'application-accepted', body: application({}) },
    { name: 'application-rated', body: application({ priorClaims: 1 }) },
    {
      name: 'application-referred-then-accepted',
      body: application({
        applicant: { name: 'Young Rider', dateOfBirth: '2006-06-06' },
        vehicle: { registration: 'XYZ 987', year: 2024, class: 6, value: { amount: '140000', currency: 'SEK' } },
      }),
      decision: { action: 'accept', note: 'Advanced rider course completed.' },
    },
    {
      name: 'application-proposed-decline-then-declined',
      body: application({ priorClaims: 5 }),
      decision: { action: 'decline', reasonCode: 'CLAIMS_HISTORY' },
    },
    { name: 'application-evidence-confirmed', body: await withEvidence(application({}), 0) },
    {
      name: 'application-evidence-contradicted-then-rated',
      body: await withEvidence(application({}), 2),
      decision: { action: 'accept', premium: { amount: '5000', currency: 'SEK' }, note: 'Two claims on record: rated.' },
    },
    {
      name: 'application-disclosure-referred-then-declined',
      body: application({ declarations: 'The bike is used for food delivery in the evenings.' }),
      decision: { action: 'decline', reasonCode: 'OUTSIDE_APPETITE' },
    },
    {
      name: 'application-interview-untranscribed-then-accepted',
      body: await (async () => {
        const form = new FormData();
        form.append('application', JSON.stringify(application({})));
        const flite = createFliteSynthesizer();
        form.append(
          'interview',
          new Blob([await flite.synthesize('I ride to work and keep the bike in a locked garage.', 'awb')], { type: 'audio/wav' }),
          'interview.wav',
        );
        return form;
      })(),
      decision: { action: 'accept', note: 'Listened to the interview: commuting only.' },
    },
    {
      name: 'application-high-value-accepted-by-senior',
      body: application({ vehicle: { registration: 'LUX 1', year: 2025, class: 4, value: { amount: '650000', currency: 'SEK' } } }),
      decision: { action: 'accept' },
      key: 'dev-senior-underwriter-key',
    },
  ];
  for (const scenario of scenarios) {
    const created = (await call(apiUrl, 'POST', '/v1/underwriting/applications', 'dev-claimant-key', scenario.body)) as {
      id: string;
      workflowId: string;
    };
    if (scenario.decision)
      await call(
        apiUrl,
        'POST',
        `/v1/underwriting/applications/${created.id}/decision`,
        scenario.key ?? 'dev-underwriter-key',
        scenario.decision,
      );
    await temporal.workflow.getHandle(created.workflowId).result();
    await save(temporal, created.workflowId, scenario.name, underwritingHistoriesDir);
  }
}

/**
 * Calls through the API with audio made by flite, as a phone line carries it (a description on a clean
 * line, transcribed offline); callers' own phrasings; a statement transcribed and left to an agent.
 */
export async function captureVoice(apiUrl: string, temporal: Client): Promise<void> {
  const flite = createFliteSynthesizer();
  const phone = async (text: string) => encodeWav(resample(decodeWav(await flite.synthesize(text, 'awb'), 600), 8_000), 'mulaw');
  const audioForm = async (text: string, clean = false) => {
    const form = new FormData();
    form.append('audio', new Blob([clean ? await flite.synthesize(text, 'awb') : await phone(text)], { type: 'audio/wav' }), 'answer.wav');
    return form;
  };
  type Step = { say: string; clean?: boolean } | { keys: string } | { hangUp: true } | { wait: number };
  const calls: { name: string; steps: Step[] }[] = [
    {
      name: 'call-completed',
      steps: ['p o l one zero zero one', 'yes', 'yesterday', 'yes', 'a collision', 'yes', 'twelve hundred and fifty euros', 'yes']
        .map((say): Step => ({ say }))
        .concat([{ say: 'Another car drove into the back of my car at the traffic lights.', clean: true }]),
    },
    {
      name: 'call-natural-phrasings',
      steps: [
        'p o l one zero zero one',
        'yes',
        'two days ago',
        'yes',
        'somebody crashed into me',
        'yes',
        "it's about six hundred euros",
        'yes',
        'Another car drove into the back of my car at the traffic lights.',
      ].map((say) => ({ say })),
    },
    {
      name: 'call-policy-rejected-keypad-then-hung-up',
      steps: [
        { say: 'p o l two zero zero one' },
        { say: 'yes' },
        { say: 'the weather is lovely today' },
        { say: 'no' },
        { keys: '1001#' },
        { keys: '1' },
        { hangUp: true },
      ],
    },
    { name: 'call-silent-abandoned', steps: [{ wait: 6_000 }] },
  ];
  for (const scenario of calls) {
    const started = (await call(apiUrl, 'POST', '/v1/voice/sessions', 'dev-claimant-key', {})) as { id: string; workflowId: string };
    for (const step of scenario.steps) {
      if ('say' in step)
        await call(apiUrl, 'POST', `/v1/voice/sessions/${started.id}/answer`, 'dev-claimant-key', await audioForm(step.say, step.clean));
      else if ('keys' in step)
        await call(apiUrl, 'POST', `/v1/voice/sessions/${started.id}/answer`, 'dev-claimant-key', { digits: step.keys });
      else if ('hangUp' in step) await call(apiUrl, 'POST', `/v1/voice/sessions/${started.id}/hangup`, 'dev-claimant-key');
      else await new Promise((r) => setTimeout(r, step.wait));
    }
    await temporal.workflow.getHandle(started.workflowId).result();
    await save(temporal, started.workflowId, scenario.name, voiceHistoriesDir);
  }
  const form = await audioForm('This is about policy one zero zero one. My car was stolen last night.', true);
  const statement = (await call(apiUrl, 'POST', '/v1/voice/claims', 'dev-claimant-key', form)) as { workflowId: string };
  await temporal.workflow.getHandle(statement.workflowId).result();
  await save(temporal, statement.workflowId, 'statement-transcribed-needs-agent', voiceHistoriesDir);
}

/** A referral that waits past both service levels, then a senior underwriter accepts it. */
export async function captureUnderwritingEscalation(sla: Awaited<ReturnType<typeof startTimeSkippingSystem>>): Promise<void> {
  const db = sla.system.database.db;
  const { id, workflowId } = (await call(
    sla.apiUrl,
    'POST',
    '/v1/underwriting/applications',
    'dev-claimant-key',
    applicationBody({ ...youngRider, applicant: { name: 'Young Rider', dateOfBirth: '2006-06-06' } }),
  )) as { id: string; workflowId: string };
  const told = async (kind: string) =>
    (
      await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.applicationId, id), eq(notifications.kind, kind)))
    ).length > 0;
  await until(() => told('APPLICATION_REFERRED'), Boolean, 'the referral');
  await sla.env.sleep('25 hours');
  await until(() => told('REVIEW_REMINDER'), Boolean, 'the reminder');
  await sla.env.sleep('48 hours');
  await until(() => told('REVIEW_ESCALATED'), Boolean, 'the escalation');
  await call(sla.apiUrl, 'POST', `/v1/underwriting/applications/${id}/decision`, 'dev-senior-underwriter-key', {
    action: 'accept',
    note: 'Advanced rider course.',
  });
  await sla.env.client.workflow.getHandle(workflowId).result();
  await save(sla.env.client, workflowId, 'application-escalated-then-accepted', underwritingHistoriesDir);
}

/** One API call of a scenario, as a client makes it; any error answer stops the capture. */
/**
 * Appeals against an adjuster's denial: a second adjuster overturns one (paid, with its letter) and upholds
 * the other.
 */
export async function captureAppeals(apiUrl: string, temporal: Client): Promise<void> {
  const outcomes = [
    {
      name: 'appeal-overturned-and-paid',
      decision: { action: 'overturn', amount: { amount: '700.00', currency: 'EUR' }, note: 'The shed was locked.' },
    },
    { name: 'appeal-upheld', decision: { action: 'uphold', note: 'The policy excludes theft from outbuildings.' } },
  ];
  for (const { name, decision } of outcomes) {
    const claim = await referredTheftClaim(apiUrl);
    await call(apiUrl, 'POST', `/v1/claims/${claim.id}/decision`, 'dev-adjuster-key', { action: 'deny', reasonCode: 'NOT_COVERED' });
    await temporal.workflow.getHandle(claim.workflowId).result();
    await call(apiUrl, 'POST', `/v1/claims/${claim.id}/appeal`, 'dev-claimant-key', {
      reasons: 'The bicycle was locked inside the shed; the police report says so.',
    });
    await call(apiUrl, 'POST', `/v1/claims/${claim.id}/appeal/decision`, 'dev-adjuster2-key', decision);
    const appeal = temporal.workflow.getHandle(appealWorkflowId(claim.id));
    await appeal.result();
    await save(temporal, appeal.workflowId, name, appealHistoriesDir);
  }
}

/** A theft claim on POL-1002 (no theft cover: a proposed denial), once it waits in review. */
export async function referredTheftClaim(apiUrl: string): Promise<{ id: string; workflowId: string }> {
  const claim = (await call(apiUrl, 'POST', '/v1/claims', 'dev-claimant-key', {
    policyNumber: 'POL-1002',
    peril: 'theft',
    incidentDate: new Date().toISOString().slice(0, 10),
    claimedAmount: { amount: '800.00', currency: 'EUR' },
    description: 'Scenario claim for history capture',
  })) as { id: string; workflowId: string };
  await until(
    async () => (await call(apiUrl, 'GET', `/v1/claims/${claim.id}`, 'dev-adjuster-key')).status,
    (status) => status === 'IN_REVIEW',
    `${claim.id} in review`,
  );
  return claim;
}

export async function call(
  apiUrl: string,
  method: string,
  route: string,
  key: string,
  body?: FormData | Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await api({ apiUrl }, method, route, {
    key,
    headers: { prefer: 'wait=20' },
    ...(body instanceof FormData ? { body } : body ? { json: body } : {}),
  });
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}
