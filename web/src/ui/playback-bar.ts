import { label } from '../i18n/labels.js';
import { REPLAY_SPEEDS, type AppState } from '../state/app-state.js';
import { h } from './dom.js';
import { localTime } from './time-format.js';

export interface PlaybackActions {
  togglePlay(): void;
  seek(ms: number): void;
  setSpeed(speed: number): void;
}

const STEPS = 10_000;

/** Play/pause, a time slider over the replay's span, the replay clock and its speed. */
export class PlaybackBar {
  private readonly play: HTMLButtonElement;
  private readonly slider: HTMLInputElement;
  private readonly clock: HTMLOutputElement;
  private readonly speed: HTMLSelectElement;
  private readonly speedLabel: HTMLSpanElement;
  private domain: readonly [number, number] | null = null;

  constructor(root: HTMLElement, act: PlaybackActions) {
    this.play = h('button', { type: 'button', class: 'play', 'data-control': 'play', onclick: () => act.togglePlay() });
    this.slider = h('input', {
      type: 'range',
      min: 0,
      max: STEPS,
      value: 0,
      'data-control': 'time',
      oninput: () => {
        if (this.domain)
          act.seek(this.domain[0] + (Number(this.slider.value) / STEPS) * (this.domain[1] - this.domain[0]));
      },
    });
    this.clock = h('output', { class: 'clock', 'data-control': 'clock' });
    this.speed = h(
      'select',
      { 'data-control': 'speed', onchange: () => act.setSpeed(Number(this.speed.value)) },
      ...REPLAY_SPEEDS.map((s) => h('option', { value: s }, `${s}×`)),
    );
    this.speedLabel = h('span');
    root.replaceChildren(
      this.play,
      this.slider,
      this.clock,
      h('label', { class: 'speed' }, this.speedLabel, this.speed),
    );
  }

  update(s: AppState, domain: readonly [number, number] | null, time: number | null): void {
    this.domain = domain;
    this.play.textContent = s.playing ? `❚❚ ${label(s.lang, 'pause')}` : `▶ ${label(s.lang, 'play')}`;
    this.play.disabled = domain === null;
    this.slider.disabled = domain === null;
    if (domain && time !== null) {
      const f = domain[1] > domain[0] ? (time - domain[0]) / (domain[1] - domain[0]) : 0;
      this.slider.value = String(Math.round(Math.min(1, Math.max(0, f)) * STEPS));
      this.clock.textContent = localTime(time, s.lang);
      this.clock.dataset.ms = String(Math.round(time));
    } else {
      this.clock.textContent = '—';
      delete this.clock.dataset.ms;
    }
    if (
      !REPLAY_SPEEDS.includes(s.speed as (typeof REPLAY_SPEEDS)[number]) &&
      !this.speed.querySelector(`option[value="${s.speed}"]`)
    ) {
      this.speed.append(h('option', { value: s.speed }, `${s.speed}×`));
    }
    this.speed.value = String(s.speed);
    this.speedLabel.textContent = `${label(s.lang, 'replaySpeed')} `;
  }
}
