/**
 * Calls `onClick` with the position (in the element) of a click that was not the end of a drag. Taken from the
 * DOM rather than deck.gl's tap gesture: the gesture needs press and release processed within 250 ms, which a
 * slow frame (software WebGL, a big scene) can exceed, and the click is then lost.
 */
export function listenForMapClicks(el: HTMLElement, onClick: (x: number, y: number) => void): void {
  let down: { x: number; y: number } | null = null;
  el.addEventListener('pointerdown', (e) => (down = { x: e.clientX, y: e.clientY }));
  el.addEventListener('click', (e) => {
    if (down && Math.hypot(e.clientX - down.x, e.clientY - down.y) > 5) return;
    const r = el.getBoundingClientRect();
    onClick(e.clientX - r.left, e.clientY - r.top);
  });
}
