// Faults heal, as production runs: the API, a claims worker and a documents worker as separate processes
// on PostgreSQL, against one Temporal server, paying through a gateway on loopback. While claims are in
// flight the documents worker is killed (SIGKILL) as it reads their scans, the claims worker is killed while
// their payouts are pending, and the Temporal server is stopped and started again. Every accepted claim
// still reaches PAID, with exactly one payout each, and /readyz says "not ready" while Temporal is away.
// Then the database goes away (every connection to PostgreSQL reset and new ones refused, by a relay on
// loopback) and comes back: the same holds.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { encode, rasterize, textPdf } from '../support/documents.ts';
import { api, claimBody, until } from '../support/harness.ts';
import { reachable } from '../support/postgres.ts';
import { startProjectProcess, type StartedSystem } from '../support/processes.ts';
import { startProductionDependencies, type ProductionDependencies } from '../support/production.ts';

const adminKey = randomBytes(16).toString('hex');
const claimantKey = randomBytes(16).toString('hex');

/** A killed worker's activity waits out its heartbeat timeout (a minute) before another attempt. */
const twoMinutes = 150_000;

describe.skipIf(!reachable)('faults heal across separate processes', { timeout: 300_000 }, () => {
  let deps: ProductionDependencies;
  const running = new Map<string, StartedSystem>();
  const start = async (name: string, args: string[], marker: string) => {
    running.set(name, await startProjectProcess(args, deps.env, marker));
  };
  const startClaimsWorker = () => start('claims', ['worker/main.ts', '--queue', 'claims'], 'worker running');
  const startDocumentsWorker = () => start('documents', ['worker/main.ts', '--queue', 'documents'], 'worker running');
  const kill = async (name: string) => {
    await running.get(name)!.stop('SIGKILL');
    running.delete(name);
  };

  const claim = (id: string) => api({ apiUrl: deps.apiUrl }, 'GET', `/v1/claims/${id}`, { key: adminKey });
  const readyz = () => api({ apiUrl: deps.apiUrl }, 'GET', '/readyz', { key: null });
  /** Whatever automation did not pay (several claims on one policy in a day are referred), a person approves. */
  const approveWhatWasReferred = async (ids: readonly string[]) => {
    for (const id of ids) {
      const body = (
        await until(
          () => claim(id),
          (r) => ['IN_REVIEW', 'APPROVED', 'PAID'].includes(r.body.status),
          `claim ${id} decided`,
          twoMinutes,
        )
      ).body;
      if (body.status === 'IN_REVIEW') {
        const approved = await api({ apiUrl: deps.apiUrl }, 'POST', `/v1/claims/${id}/decision`, {
          key: adminKey,
          json: { action: 'approve', amount: body.claimedAmount, note: 'Checked with the repairer.' },
        });
        expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      }
    }
  };
  /** Each claim reaches PAID with exactly one payout at the gateway, and no process has exited. */
  const expectEachPaidOnce = async (ids: readonly string[]) => {
    for (const id of ids)
      await until(
        () => claim(id),
        (r) => r.body.status === 'PAID',
        `claim ${id} paid`,
        twoMinutes,
      );
    const payouts = deps.gateway.payouts();
    for (const id of ids)
      expect(
        payouts.filter((p) => p.reference === id),
        id,
      ).toMatchObject([{ status: 'paid' }]);
    for (const name of running.keys()) expect(running.get(name)!.child.exitCode, `${name} still running`).toBeNull();
  };

  /** When a test fails: each claim's workflow, its pending activities and their last failure, and each process's last words. */
  const reportOnFailure = (ids: readonly string[]) =>
    onTestFailed(async () => {
      const lines: string[] = [];
      const connection = await Connection.connect({ address: deps.temporal.address }).catch(() => null);
      for (const id of ids) {
        const status = (await claim(id).catch(() => null))?.body?.status;
        const described = connection
          ? await new Client({ connection }).workflow
              .getHandle(`claim-${id}`)
              .describe()
              .catch((e: Error) => e)
          : null;
        if (described instanceof Error || !described) {
          lines.push(`${id} ${status}: workflow ${described instanceof Error ? described.message : 'not asked'}`);
          continue;
        }
        const pending = (described.raw.pendingActivities ?? []).map(
          (a) => `${a.activityType?.name} state ${a.state} attempt ${a.attempt}: ${a.lastFailure?.message ?? ''}`,
        );
        lines.push(`${id} ${status}: workflow ${described.status.name}; pending ${pending.join('; ') || 'none'}`);
      }
      await connection?.close();
      for (const [name, p] of running) lines.push(`--- ${name} (last 4000 characters)\n${p.output().slice(-4000)}`);
      console.error(lines.join('\n'));
    });

  beforeAll(async () => {
    // Payouts stay pending for a while, so the claims worker can be killed while it waits on them.
    deps = await startProductionDependencies({
      apiKeys: `admin:ops-1:${adminKey},claimant:cust-1001:${claimantKey}`,
      settleAfterMs: 4_000,
    });
    await Promise.all([start('api', ['api/main.ts'], 'API listening'), startClaimsWorker(), startDocumentsWorker()]);
  }, 240_000);

  afterAll(async () => {
    for (const p of running.values()) await p.stop('SIGKILL');
    await deps?.stop();
  });

  it('pays every accepted claim exactly once through worker kills and a Temporal restart', async () => {
    // Three claims whose scanned invoice must be read (OCR, on the documents worker), three without documents.
    const [scan] = await rasterize(
      await textPdf([['GLASS REPAIRS LTD', 'INVOICE', 'Windscreen 352.94', 'VAT 67.06', 'TOTAL EUR 420.00']], { fontSize: 16 }),
      150,
    );
    const png = await encode.png(scan!);
    const ids: string[] = [];
    reportOnFailure(ids);
    for (let i = 0; i < 3; i++) {
      const form = new FormData();
      form.append('claim', JSON.stringify(claimBody({ peril: 'glass', claimedAmount: { amount: '420.00', currency: 'EUR' } })));
      form.append('documents', new Blob([png], { type: 'image/png' }), `invoice-${i}.png`);
      const res = await api({ apiUrl: deps.apiUrl }, 'POST', '/v1/claims', { key: claimantKey, body: form });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    // Killed while it reads the scans (an analyzeDocument attempt has started); its heartbeats stop, and
    // another attempt, on the next documents worker, reads them.
    const connection = await Connection.connect({ address: deps.temporal.address });
    const client = new Client({ connection });
    const reading = async () => {
      for (const id of ids) {
        const { raw } = await client.workflow.getHandle(`claim-${id}`).describe();
        if ((raw.pendingActivities ?? []).some((a) => a.activityType?.name === 'analyzeDocument' && Number(a.state) === 2)) return true;
      }
      return false;
    };
    await until(reading, Boolean, 'a document being read', 30_000);
    await connection.close();
    await kill('documents');
    for (let i = 0; i < 3; i++) {
      const res = await api({ apiUrl: deps.apiUrl }, 'POST', '/v1/claims', {
        key: claimantKey,
        json: claimBody({ peril: 'glass', claimedAmount: { amount: `${110 + i}.00`, currency: 'EUR' } }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    await startDocumentsWorker();

    await approveWhatWasReferred(ids);
    // Killed while payouts are pending at the gateway; the workflows wait, and the next worker checks them.
    expect(deps.gateway.payouts().some((p) => p.status === 'pending')).toBe(true);
    await kill('claims');
    await startClaimsWorker();

    // The Temporal server goes away and comes back: the API says it is not ready meanwhile, nothing is lost.
    await deps.temporal.stop();
    const away = await readyz();
    expect(away.status).toBe(503);
    expect(away.body.checks).toMatchObject({ database: { ok: true }, temporal: { ok: false } });
    await deps.restartTemporal();
    await until(readyz, (r) => r.status === 200, 'the API ready again', twoMinutes);

    await expectEachPaidOnce(ids);
    expect(deps.gateway.payouts()).toHaveLength(ids.length);
  });

  it('pays every accepted claim exactly once through a database outage, and says it is not ready meanwhile', async () => {
    const ids: string[] = [];
    reportOnFailure(ids);
    for (let i = 0; i < 3; i++) {
      const res = await api({ apiUrl: deps.apiUrl }, 'POST', '/v1/claims', {
        key: claimantKey,
        json: claimBody({ peril: 'glass', claimedAmount: { amount: `${130 + i}.00`, currency: 'EUR' } }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    // Every connection to PostgreSQL reset, new ones refused, for ten seconds: while claims are decided,
    // recorded and paid (the gateway holds payouts four seconds).
    // The API's and both workers' pooled connections among them.
    expect(await deps.database.cut()).toBeGreaterThanOrEqual(3);
    const away = await until(readyz, (r) => r.status === 503, 'the API not ready without its database', 30_000);
    expect(away.body.checks).toMatchObject({ database: { ok: false }, temporal: { ok: true } });
    await new Promise((r) => setTimeout(r, 10_000));
    await deps.database.restore();
    await until(readyz, (r) => r.status === 200, 'the API ready again', twoMinutes);
    await approveWhatWasReferred(ids);
    await expectEachPaidOnce(ids);
  });
});
