// The claimant's end of a claim: withdrawing it while it is open (the workflow compensates whatever it
// had begun), and the decision letter once it is closed.
import type { Client } from '@temporalio/client';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { BlobNotFoundError, type BlobStore } from '../../engines/storage/blob-store.ts';
import { withdrawUpdate } from '../../workflows/claim/messages.ts';
import { principalOf, requireRole } from '../auth.ts';
import { ApiError, ErrorResponse, parseRequestPart } from '../errors.ts';
import { named, validated, type ApiDescription } from '../openapi.ts';
import { sendUpdate } from '../updates.ts';
import type { ClaimReader } from './read.ts';
import { Claim, ClaimIdParams } from './schemas.ts';

export const Withdrawal = named(
  'Withdrawal',
  z.object({ reason: z.string().trim().max(2_000).optional().describe("Why, in the claimant's words (goes on the record)") }).strict(),
);

export function settlementRoutes({
  api,
  reader,
  temporal,
  blobs,
}: {
  api: ApiDescription;
  db: Database;
  reader: ClaimReader;
  temporal: Client;
  blobs: BlobStore;
}): Router {
  const router = Router();

  router.post(
    '/v1/claims/:id/withdraw',
    api.route({
      method: 'post',
      path: '/v1/claims/:id/withdraw',
      operationId: 'withdrawClaim',
      summary: 'Withdraw an open claim',
      description:
        'Answers once the claim is closed. A payment that has begun but not settled is stopped; one that settled first makes the ' +
        'claim PAID and the withdrawal is refused (409 CLAIM_PAID).',
      tags: ['claims'],
      roles: ['claimant', 'admin'],
      params: ClaimIdParams,
      body: { required: false, content: { 'application/json': Withdrawal } },
      responses: {
        200: { description: 'The withdrawn claim', schema: Claim },
        403: { description: 'Not a claimant', schema: ErrorResponse },
        404: { description: 'No such claim of yours', schema: ErrorResponse },
        409: {
          description:
            'The claim is closed, paid, or already being withdrawn (CLAIM_CLOSED, CLAIM_PAID, ALREADY_WITHDRAWING, WITHDRAWAL_NOT_SUPPORTED)',
          schema: ErrorResponse,
        },
      },
    }),
    requireRole('claimant', 'admin'),
    express.json({ limit: '16kb' }),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      const input = parseRequestPart(Withdrawal, req.body ?? {}, 'withdrawal', 'body');
      const claim = await reader.getClaim(principal, params.id);
      const result = await sendUpdate(
        temporal,
        claim.workflowId,
        withdrawUpdate,
        [
          {
            by: principal.subject,
            role: principal.role === 'admin' ? 'admin' : 'claimant',
            ...(input.reason ? { reason: input.reason } : {}),
          },
        ],
        {
          closed: () => new ApiError(409, 'CLAIM_CLOSED', `Claim ${claim.id} is closed (${claim.status}).`),
          statusOf: () => 409,
          timeoutMs: 60_000,
        },
      );
      if (result.status === 'PAID')
        throw new ApiError(409, 'CLAIM_PAID', `Claim ${claim.id} was paid before the payment could be stopped.`);
      res.json(await reader.getClaim(principal, params.id));
    },
  );

  router.get(
    '/v1/claims/:id/letter.pdf',
    api.route({
      method: 'get',
      path: '/v1/claims/:id/letter.pdf',
      operationId: 'claimLetter',
      summary: 'The decision letter of a closed claim (PDF): outcome, amount, reasons in plain words, how to appeal',
      tags: ['claims'],
      roles: ['claimant', 'adjuster', 'senior_adjuster', 'admin'],
      params: ClaimIdParams,
      responses: {
        200: { description: 'The letter', schema: z.file(), contentType: 'application/pdf' },
        404: { description: 'No such claim, or no letter yet (LETTER_NOT_READY)', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', 'adjuster', 'senior_adjuster', 'admin'),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const claim = await reader.getClaim(principalOf(req), params.id);
      const sha256 = claim.letterUrl ? await reader.letterOf(claim.id) : null;
      if (!sha256)
        throw new ApiError(
          404,
          'LETTER_NOT_READY',
          `Claim ${claim.id} has no decision letter yet (${claim.status}); it is written when the claim closes.`,
        );
      let bytes: Uint8Array;
      try {
        bytes = await blobs.get(sha256);
      } catch (error) {
        if (error instanceof BlobNotFoundError)
          throw new ApiError(404, 'LETTER_NOT_READY', `The letter of claim ${claim.id} is not in the store.`);
        throw error;
      }
      res.type('application/pdf').set('content-disposition', `inline; filename="${claim.id}-decision.pdf"`).send(Buffer.from(bytes));
    },
  );

  return router;
}
