import type { AppState } from './app-state.js';
import { urlFromState } from './url-state.js';

/**
 * Keeps the address bar in step with the state, at most every 200 ms. While the replay runs its clock is left
 * out (it would rewrite the URL every frame, and tools that watch navigations would never see the page settle);
 * pausing writes it.
 */
export class UrlWriter {
  private timer = 0;
  private time: number | null = null;
  private readonly state: () => AppState;

  constructor(state: () => AppState) {
    this.state = state;
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      const s = this.state();
      if (!s.playing) this.time = s.time;
      const url = `${location.pathname}${urlFromState({ ...s, time: this.time })}`;
      if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
    }, 200);
  }
}
