// Who may decrypt through the codec server from a browser: the Temporal Web UI cannot send an API key
// (the development server's UI has no sign-in to forward), so a staff member signs in to the console,
// which asks for a codec session: a short-lived token, signed by the API, in an HttpOnly cookie scoped to
// /codec. The Web UI, told to include cross-origin credentials, then sends it with each decode. The
// signing key is derived from the current payload key, which every API process shares, so any of them
// accepts a session another issued; rotating the payload key ends every session.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Principal, Role } from './auth.ts';

export const codecSessionCookie = 'insureflow_codec';
/** A working day: the operator signs in to the console again after it. */
export const codecSessionSeconds = 8 * 3600;
/** Who may read decrypted payloads: the people who decide claims, and admins. */
export const codecRoles: readonly Role[] = ['admin', 'adjuster', 'senior_adjuster'];

export interface CodecSessions {
  issue(principal: Principal, now?: number): string;
  /** The principal a token was issued to, while it is valid; null otherwise. */
  verify(token: string, now?: number): Principal | null;
}

export function createCodecSessions(payloadKey: Uint8Array): CodecSessions {
  const key = Buffer.from(hkdfSync('sha256', payloadKey, 'insureflow', 'codec session cookie v1', 32));
  const sign = (body: string) => createHmac('sha256', key).update(body).digest('base64url');
  return {
    issue(principal, now = Date.now()) {
      const body = Buffer.from(
        JSON.stringify({ sub: principal.subject, role: principal.role, exp: Math.floor(now / 1000) + codecSessionSeconds }),
      ).toString('base64url');
      return `${body}.${sign(body)}`;
    },
    verify(token, now = Date.now()) {
      const [body, signature, ...rest] = token.split('.');
      if (!body || !signature || rest.length > 0) return null;
      const expected = Buffer.from(sign(body));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      try {
        const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { sub?: unknown; role?: unknown; exp?: unknown };
        if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return null;
        if (!codecRoles.includes(claims.role as Role)) return null;
        return { subject: claims.sub, role: claims.role as Role };
      } catch {
        return null;
      }
    },
  };
}

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
