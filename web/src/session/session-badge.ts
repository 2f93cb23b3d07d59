import { h } from '../ui/dom.js';
import { currentCaller, signOut, storedToken, type Caller } from './session.js';

/** `role@company` (no company: every company) and the caller's id. */
export const callerText = (c: Caller): string => `${c.role}@${c.company ?? 'all'}`;

/**
 * Who is signed in (from `/api/me`) with a sign-out when a token is kept; empty with `--auth none` (one local user).
 * The element is filled once the caller is known and can be placed (and re-placed) anywhere.
 */
export function sessionBadge(): HTMLElement {
  const badge = h('div', { class: 'session', 'data-testid': 'session', hidden: true });
  void currentCaller()
    .then((c) => {
      if (c.auth === 'none') return;
      const who = h('span', { class: 'who', title: c.id }, callerText(c));
      const out = h('button', { type: 'button', 'data-control': 'sign-out', onclick: () => signOut() }, 'Sign out');
      badge.replaceChildren(...(storedToken() ? [who, out] : [who]));
      badge.hidden = false;
    })
    .catch((e: unknown) => console.error(e));
  return badge;
}
