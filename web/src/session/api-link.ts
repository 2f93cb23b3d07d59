import { apiFetch, storedToken } from './session.js';

/**
 * `onclick` for a link to the API that opens in a new tab: a plain link carries no `Authorization` header, so with a
 * token kept the response is fetched here and the new tab shows its bytes (a blob URL). Without a token, the link.
 */
export function openWithToken(e: Event): void {
  const a = e.currentTarget;
  if (!(a instanceof HTMLAnchorElement) || !storedToken()) return;
  e.preventDefault();
  // opened now, while the click still allows a new tab; filled when the response is in
  const tab = window.open('', '_blank');
  void apiFetch(a.href)
    .then(async (res) => {
      const url = URL.createObjectURL(await res.blob());
      if (tab) tab.location.href = url;
      else location.href = url;
    })
    .catch((err: unknown) => {
      tab?.close();
      console.error(err);
    });
}
