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
export const KIND_GROUPS = [
  { id: 'safety', color: [255, 40, 60, 255], kinds: ['collision', 'near_miss', 'emergency_manoeuvre'] },
  {
    id: 'takeover',
    color: [255, 225, 0, 255],
    kinds: ['disengagement', 'takeover_request', 'mrm_started', 'mrm_ended', 'odd_exit', 'remote_command'],
  },
  {
    id: 'fault',
    color: [170, 110, 255, 255],
    kinds: ['ads_failure', 'vehicle_failure', 'sensor_failure', 'recorder_fault'],
  },
  {
    id: 'style',
    color: [255, 80, 200, 255],
    kinds: ['harsh_brake', 'harsh_accel', 'harsh_lateral', 'harsh_jerk', 'speeding', 'traffic_violation'],
  },
] as const satisfies readonly { id: string; color: Rgba; kinds: readonly string[] }[];
const OTHER_KIND: Rgba = [230, 230, 230, 255];

export function kindColor(kind: string): Rgba {
  return KIND_GROUPS.find((g) => (g.kinds as readonly string[]).includes(kind))?.color ?? OTHER_KIND;
}

/** Radius in pixels by severity: worse is bigger. */
const SEVERITY_RADIUS: Record<string, number> = {
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
