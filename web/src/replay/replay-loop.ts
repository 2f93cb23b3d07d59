import type { AppState } from '../state/app-state.js';
import type { Store } from '../state/store.js';

export interface ReplaySpan {
  /** [start, end] of the replay, ms since the epoch, or null when there is nothing to replay. */
  domain(): readonly [number, number] | null;
  /** The clock within the domain. */
  clock(): number | null;
  /** Stop at the end (an incident's window) rather than loop (the fleet). */
  stopsAtEnd(): boolean;
}

/**
 * Advances `state.time` by wall-clock time × `state.speed` on every animation frame while `state.playing`,
 * whatever the frame rate: a slow frame makes a bigger step, not a slower replay.
 */
export function runReplay(store: Store<AppState>, span: ReplaySpan): void {
  let last = performance.now();
  const tick = (now: number) => {
    const s = store.get();
    if (!s.playing) return;
    const d = span.domain();
    const t = span.clock();
    if (d && t !== null) {
      let next = t + (now - last) * s.speed;
      let playing = true;
      if (next >= d[1]) {
        if (span.stopsAtEnd()) {
          next = d[1];
          playing = false;
        } else next = d[0] + ((next - d[0]) % Math.max(1, d[1] - d[0]));
      }
      store.set({ time: next, playing });
    }
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
