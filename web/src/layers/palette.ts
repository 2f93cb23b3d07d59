import { groupOf, type KindGroup } from '../../../services/vocabulary/event-kinds.js';
import type { Mode } from '../state/app-state.js';

export type Rgba = readonly [number, number, number, number];

/** Route colours by driving mode: saturated so they stand out on the dark base (and tests can find them). */
export const MODE_COLORS: Record<Mode, Rgba> = {
  autonomous: [0, 200, 255, 255],
  manual: [255, 150, 0, 255],
  remote: [200, 80, 255, 255],
  unknown: [160, 160, 160, 255],
};

/** Speed ramp stops, km/h → colour (blue → cyan → green → yellow → red). */
export const SPEED_STOPS: readonly (readonly [number, Rgba])[] = [
  [0, [40, 60, 220, 255]],
  [20, [0, 190, 230, 255]],
  [40, [60, 220, 90, 255]],
  [60, [250, 220, 40, 255]],
  [80, [240, 50, 40, 255]],
];

/** Colour of a speed in m/s; NaN (unknown) is grey. */
export function speedColor(mps: number, out: number[] = [0, 0, 0, 255]): number[] {
  if (Number.isNaN(mps)) {
    out[0] = out[1] = out[2] = 128;
    return out;
  }
  const kmh = mps * 3.6;
  let lo = SPEED_STOPS[0] as (typeof SPEED_STOPS)[number];
  let hi = lo;
  for (const stop of SPEED_STOPS) {
    hi = stop;
    if (stop[0] >= kmh) break;
    lo = stop;
  }
  const f = hi[0] === lo[0] ? 0 : Math.min(1, Math.max(0, (kmh - lo[0]) / (hi[0] - lo[0])));
  for (let c = 0; c < 3; c++)
    out[c] = Math.round((lo[1][c] as number) + f * ((hi[1][c] as number) - (lo[1][c] as number)));
  return out;
}

/** Incident colours by kind group: collisions red, takeovers yellow, faults violet, driving style magenta. */
export const GROUP_COLORS = {
  collision: [255, 40, 60, 255],
  takeover: [255, 225, 0, 255],
  system_fault: [170, 110, 255, 255],
  harsh_driving: [255, 80, 200, 255],
  bookkeeping: [230, 230, 230, 255],
} as const satisfies Record<KindGroup, Rgba>;

/** The groups the legend explains, in its order (bookkeeping kinds are not drawn as incidents). */
export const LEGEND_GROUPS = [
  'collision',
  'takeover',
  'system_fault',
  'harsh_driving',
] as const satisfies readonly KindGroup[];

export function kindColor(kind: string): Rgba {
  return GROUP_COLORS[groupOf(kind) ?? 'bookkeeping'];
}

/** Radius in pixels by severity: worse is bigger. */
const SEVERITY_RADIUS: Readonly<Record<string, number>> = {
  info: 4,
  low: 5,
  none: 5,
  medium: 6,
  minor: 6,
  high: 8,
  moderate: 8,
  serious: 10,
  fatal: 12,
};
export const severityRadius = (severity: string | undefined) =>
  severity === undefined ? 5 : (SEVERITY_RADIUS[severity] ?? 5);

export const BASE = {
  districtFill: [30, 36, 46, 255] as Rgba,
  districtLine: [88, 100, 120, 255] as Rgba,
  districtText: [170, 182, 200, 255] as Rgba,
  districtHalo: [14, 17, 22, 220] as Rgba,
  road: [62, 68, 80, 255] as Rgba,
  extent: [90, 100, 120, 255] as Rgba,
} as const;
