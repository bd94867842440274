// The console's only way to the system: the public HTTP API, with the signed-in key as a bearer token.
// The key lives in this tab's session storage (gone when the tab closes), never in a URL, a cookie or a
// log line; files (scans, letters) are fetched with it and shown from blob URLs. Signing in also opens a
// codec session (an HttpOnly cookie for /codec only, not the key) for the Temporal Web UI.

import { useEffect, useState } from 'preact/hooks';

const keySlot = 'insureflow.apiKey';

export interface Me {
  readonly role: 'claimant' | 'adjuster' | 'senior_adjuster' | 'underwriter' | 'senior_underwriter' | 'admin';
  readonly subject: string;
  readonly approvalLimits: Record<string, string> | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  key: (): string | null => sessionStorage.getItem(keySlot),
  signIn: (key: string) => sessionStorage.setItem(keySlot, key),
  signOut: () => sessionStorage.removeItem(keySlot),
};

async function send(method: string, path: string, body?: unknown, key = session.key()): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, problem?.error?.code ?? `HTTP_${res.status}`, problem?.error?.message ?? res.statusText);
  }
  return res;
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await (await send(method, path, body)).json()) as T;
}

/**
 * Checks a key before keeping it, and opens a codec session for those who may read claims' data: an
 * HttpOnly cookie for /codec that the Temporal Web UI sends (with cross-origin credentials on) to show
 * payloads decrypted. Roles that may not decrypt are refused one, which is no reason to refuse sign-in.
 */
export async function signIn(key: string): Promise<Me> {
  const me = (await (await send('GET', '/v1/me', undefined, key)).json()) as Me;
  session.signIn(key);
  await send('POST', '/codec/session', undefined, key).catch(() => undefined);
  return me;
}

/** Forgets the key and ends the codec session. */
export async function signOut(): Promise<void> {
  session.signOut();
  await fetch('/codec/session', { method: 'DELETE' }).catch(() => undefined);
}

/** A file the API serves (a scan, a page, a letter) as a blob URL the page can show; revoke it when done. */
export async function fileUrl(path: string): Promise<string> {
  return URL.createObjectURL(await (await send('GET', path)).blob());
}

/** A file the API serves, as a blob URL for as long as the component shows it; or why it could not be had. */
export function useFileUrl(path: string): { readonly src: string | null; readonly problem: string | null } {
  const [src, setSrc] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    fileUrl(path)
      .then((u) => {
        url = u;
        setSrc(u);
      })
      .catch((error: Error) => setProblem(error.message));
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [path]);
  return { src, problem };
}

export const query = (params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
};
