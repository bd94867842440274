import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { restingClaimStatuses, type ClaimStatus } from '../../domain/claims/claim.ts';
import { principalOf, requireRole } from '../auth.ts';
import { ApiError, ErrorResponse, parseRequestPart, validationError } from '../errors.ts';
import { readWhenSettled } from '../prefer.ts';
import { validated, type ApiDescription } from '../openapi.ts';
import { inspectDocuments, jsonOrMultipart, multipartUpload, readJsonWithDocuments, type UploadLimits } from '../uploads.ts';
import type { ClaimIntake } from './intake.ts';
import type { ClaimReader } from './read.ts';
import {
  AddedDocuments,
  Claim,
  ClaimIdOrReferenceParams,
  ClaimIdParams,
  ClaimList,
  ClaimListQuery,
  ClaimSubmission,
  ClaimSubmissionForm,
} from './schemas.ts';

export interface ClaimRouteDeps {
  readonly api: ApiDescription;
  readonly intake: ClaimIntake;
  readonly reader: ClaimReader;
  readonly uploads: UploadLimits;
}

const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be 1-255 visible ASCII characters');

const malformedBody = { 400: { description: 'Malformed JSON or multipart body', schema: ErrorResponse } };

export function claimRoutes({ api, intake, reader, uploads }: ClaimRouteDeps): Router {
  const router = Router();
  const staff = ['claimant', 'adjuster', 'senior_adjuster', 'admin'] as const;
  const multipartDocuments = multipartUpload(uploads, null);
  const onlyMultipart: RequestHandler = (req, res, next) => {
    if (req.is('multipart/form-data')) return multipartDocuments(req, res, next);
    next(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send documents as multipart/form-data files named documents.'));
  };

  router.post(
    '/v1/claims',
    api.route({
      method: 'post',
      path: '/v1/claims',
      operationId: 'submitClaim',
      summary: 'Submit a claim (first notice of loss), optionally with documents',
      description:
        'JSON, or multipart/form-data with a `claim` part (the same JSON) and up to the configured number of `documents` files. ' +
        'A claimant may claim only on policies they hold. The claim is decided by its workflow; poll GET /v1/claims/{id}, or send ' +
        '`Prefer: wait=5` to receive the claim in this response once automation is done with it (decided, or waiting for an adjuster), within that many seconds.',
      tags: ['claims'],
      roles: [...staff],
      headers: [
        {
          name: 'Idempotency-Key',
          description: 'Retrying with the same key returns the same claim and never starts a second workflow',
          schema: idempotencyKey,
        },
        { name: 'Prefer', description: 'wait=N: wait up to N seconds (max 30) for the decision', schema: z.string() },
      ],
      body: { required: true, content: { 'application/json': ClaimSubmission, 'multipart/form-data': ClaimSubmissionForm } },
      responses: {
        201: { description: 'Claim accepted', schema: Claim, headers: { Location: 'URL of the claim' } },
        200: { description: 'Replay of an earlier request with the same Idempotency-Key', schema: Claim },
        ...malformedBody,
        409: { description: 'Idempotency-Key reused with a different request', schema: ErrorResponse },
        413: { description: 'A file or the body is too large, or too many files', schema: ErrorResponse },
        415: {
          description: 'Unsupported content type, or a file whose bytes are not an accepted type or not its declared type',
          schema: ErrorResponse,
        },
        422: { description: 'The claim is invalid (fields, amount, date, policy)', schema: ErrorResponse },
      },
    }),
    requireRole(...staff),
    jsonOrMultipart('256kb', multipartUpload(uploads, 'claim'), 'Send the claim as application/json or multipart/form-data.'),
    async (req, res) => {
      const principal = principalOf(req);
      const key = req.get('idempotency-key');
      if (key !== undefined) {
        const parsedKey = idempotencyKey.safeParse(key);
        if (!parsedKey.success) throw validationError(parsedKey.error, 'header.Idempotency-Key');
      }
      const { body, files } = await readJsonWithDocuments(req, uploads, 'claim');
      const submission = parseRequestPart(ClaimSubmission, body, 'claim');

      const result = await intake.submit({ principal, submission, files, idempotencyKey: key });
      // Until automation is done with it (decided, or waiting for people), or the wait is over.
      const claim = await readWhenSettled(
        req,
        () => reader.getClaim(principal, result.claimId),
        (c) => restingClaimStatuses.includes(c.status),
      );
      if (result.created) {
        res.status(201).location(`/v1/claims/${claim.id}`).json(claim);
      } else {
        res.status(200).set('Idempotent-Replayed', 'true').json(claim);
      }
    },
  );

  router.post(
    '/v1/claims/:id/documents',
    api.route({
      method: 'post',
      path: '/v1/claims/:id/documents',
      operationId: 'addClaimDocuments',
      summary: 'Add documents to a claim while it is being assessed',
      description:
        'multipart/form-data with one or more `documents` files. They are read like those sent with the claim, and the claim is ' +
        'assessed again with them. Once a claim is decided this answers 409 CLAIM_CLOSED and keeps nothing.',
      tags: ['claims'],
      roles: [...staff],
      params: ClaimIdParams,
      body: { required: true, content: { 'multipart/form-data': ClaimSubmissionForm.pick({ documents: true }) } },
      responses: {
        202: { description: 'Accepted: the documents will be read', schema: AddedDocuments },
        ...malformedBody,
        404: { description: 'No such claim visible to this key', schema: ErrorResponse },
        409: { description: 'The claim has been decided', schema: ErrorResponse },
        413: { description: 'A file is too large, or too many files', schema: ErrorResponse },
        415: { description: 'A file is not an accepted type, or not its declared type', schema: ErrorResponse },
        422: { description: 'A file is empty, damaged, encrypted, or has too many pages or pixels', schema: ErrorResponse },
        503: { description: 'The claim process cannot be reached; nothing was added', schema: ErrorResponse },
      },
    }),
    requireRole(...staff),
    onlyMultipart,
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      // Whose claim it is comes first: no work, and no hint about the files, for a claim one cannot see.
      await reader.getClaim(principal, params.id);
      if (!((req.files as Record<string, unknown[]> | undefined)?.documents ?? []).length)
        throw new ApiError(422, 'VALIDATION_FAILED', "Send at least one file in a 'documents' part.");
      const inspected = await inspectDocuments(req, uploads);
      const recorded = await intake.addDocuments(principal, params.id, inspected);
      const claim = await reader.getClaim(principal, params.id);
      const byId = new Map(claim.documents.map((d) => [d.id, d]));
      res.status(202).json({
        claimId: claim.id,
        documents: recorded.flatMap(({ documentId, added }) => {
          const doc = byId.get(documentId);
          return doc ? [{ ...doc, added }] : [];
        }),
      });
    },
  );

  router.get(
    '/v1/claims/:id',
    api.route({
      method: 'get',
      path: '/v1/claims/:id',
      operationId: 'getClaim',
      summary: 'A claim with its status, decision and reasons, documents, and live progress; by its id or its spoken reference',
      tags: ['claims'],
      roles: [...staff],
      params: ClaimIdOrReferenceParams,
      responses: {
        200: { description: 'The claim', schema: Claim },
        ...malformedBody,
        404: { description: 'No such claim visible to this key', schema: ErrorResponse },
        422: { description: 'Malformed claim id, or a reference whose check digit does not match', schema: ErrorResponse },
      },
    }),
    requireRole(...staff),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      res.json(await reader.getClaim(principalOf(req), params.id));
    },
  );

  router.get(
    '/v1/claims',
    api.route({
      method: 'get',
      path: '/v1/claims',
      operationId: 'listClaims',
      summary: 'Claims, newest first, optionally by status; a claimant sees only their own',
      tags: ['claims'],
      roles: [...staff],
      query: ClaimListQuery,
      responses: {
        200: { description: 'A page of claims', schema: ClaimList },
        ...malformedBody,
        422: { description: 'Invalid filter', schema: ErrorResponse },
      },
    }),
    requireRole(...staff),
    async (req, res) => {
      const { query } = validated<object, { status?: ClaimStatus; limit: number; cursor?: string }>(res);
      res.json(await reader.listClaims(principalOf(req), query));
    },
  );

  return router;
}
