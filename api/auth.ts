// Bearer API keys, each carrying a role and the subject it acts as. Keys come from
// INSUREFLOW_API_KEYS as comma-separated `role:subject:key` triples; without it (outside production) the
// development keys documented in the README apply.
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors.ts';
import { developmentApiKeys } from '../platform/production.ts';

export const roles = ['claimant', 'adjuster', 'senior_adjuster', 'underwriter', 'senior_underwriter', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface Principal {
  readonly role: Role;
  /** For a claimant, the customer id that policies name as holder; for staff, their user id. */
  readonly subject: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** The development keys (platform/production.ts, which refuses them in production). */
export const developmentKeys = developmentApiKeys;

export type KeyRing = ReadonlyMap<string, Principal>;

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

export function parseApiKeys(spec: string): KeyRing {
  const ring = new Map<string, Principal>();
  for (const [index, raw] of spec.split(',').entries()) {
    const entry = raw.trim();
    if (!entry) continue;
    const [role, subject, ...rest] = entry.split(':');
    const key = rest.join(':');
    if (!role || !subject || !key || !(roles as readonly string[]).includes(role)) {
      throw new Error(`INSUREFLOW_API_KEYS entry ${index + 1} must be role:subject:key with role one of ${roles.join(', ')}`);
    }
    if (key.length < 12) throw new Error(`INSUREFLOW_API_KEYS entry ${index + 1}: keys must be at least 12 characters`);
    ring.set(digest(key), { role: role as Role, subject });
  }
  if (ring.size === 0) throw new Error('INSUREFLOW_API_KEYS lists no keys');
  return ring;
}

export function authenticate(ring: KeyRing): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      next(new ApiError(401, 'UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer <key>".'));
      return;
    }
    // Looked up by digest, so the comparison time does not depend on how much of a key matched.
    const principal = ring.get(digest(match[1]));
    if (!principal) {
      next(new ApiError(401, 'UNAUTHENTICATED', 'The API key is not valid.'));
      return;
    }
    req.principal = principal;
    next();
  };
}

export function requireRole(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    const principal = req.principal;
    if (!principal || !allowed.includes(principal.role)) {
      next(new ApiError(403, 'FORBIDDEN', `This action needs one of the roles: ${allowed.join(', ')}.`));
      return;
    }
    next();
  };
}

export function principalOf(req: { principal?: Principal }): Principal {
  if (!req.principal) throw new ApiError(401, 'UNAUTHENTICATED', 'Not authenticated.');
  return req.principal;
}
