import { signInDialog } from './sign-in.js';

/** `GET /api/me`: who the caller is, and the server's `--auth` mode. */
export interface Caller {
  id: string;
  role: 'admin' | 'engineer' | 'regulator' | 'public';
  company: string | null;
  auth: 'none' | 'tokens' | 'oidc' | 'proxy';
}

/** The bearer token of this tab: sessionStorage (gone with the tab), never the URL. */
const KEY = 'avlog.token';
export const storedToken = (): string | null => sessionStorage.getItem(KEY);

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  location.reload();
}

function withToken(init: RequestInit, token: string | null): RequestInit {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
}

/** Asks `/api/me` whether `token` is good: null if so, else the server's reason. */
async function check(token: string): Promise<string | null> {
  const res = await fetch('/api/me', withToken({ headers: { accept: 'application/json' } }, token));
  if (res.ok) return null;
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return body.error?.message ?? `${res.status} ${res.statusText}`;
  } catch {
    return `${res.status} ${res.statusText}`;
  }
}

/** One dialog for every request waiting on a 401. */
let signingIn: Promise<void> | null = null;

function signIn(): Promise<void> {
  signingIn ??= signInDialog(check)
    .then((token) => sessionStorage.setItem(KEY, token))
    .finally(() => (signingIn = null));
  return signingIn;
}

/** `fetch` for the API: sends the stored token; a 401 asks for a token (checked before it is kept) and retries. */
export async function apiFetch(url: string, init: RequestInit = {}): Promise<Response> {
  for (;;) {
    const res = await fetch(url, withToken(init, storedToken()));
    if (res.status !== 401) return res;
    await signIn();
  }
}

let me: Promise<Caller> | null = null;

/** The signed-in caller, asked once per page (after signing in if the server wants a token). */
export function currentCaller(): Promise<Caller> {
  me ??= apiFetch('/api/me', { headers: { accept: 'application/json' } }).then(async (res) => {
    if (!res.ok) throw new Error(`/api/me: ${res.status} ${res.statusText}`);
    return (await res.json()) as Caller;
  });
  return me;
}
