import type { RouteSet } from '../data/route-set.js';
import type { ColorBy, Mode } from '../state/app-state.js';
import { MODE_COLORS, speedColor } from './palette.js';

/** One RGBA per sample (deck.gl per-vertex colour attribute), by mode or by speed. */
export function routeColors(routes: RouteSet, by: ColorBy): Uint8Array {
  const out = new Uint8Array(routes.length * 4);
  const modes = routes.meta.modes as readonly Mode[];
  const tmp = [0, 0, 0, 255];
  for (let i = 0; i < routes.length; i++) {
    const c = by === 'mode' ? MODE_COLORS[modes[routes.mode[i] as number] ?? 'unknown'] : speedColor(routes.speed[i] as number, tmp);
    out[4 * i] = c[0] as number;
    out[4 * i + 1] = c[1] as number;
    out[4 * i + 2] = c[2] as number;
    out[4 * i + 3] = 255;
  }
  return out;
}
