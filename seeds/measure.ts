import type { DriveTrace } from './trace.js';
import { THRESHOLDS, type SimEvent, type Tier } from './vocab.js';

interface Run {
  start: number;
  end: number;
}

/** Longest run of consecutive samples in [k0, k1] where `hit` holds. */
function longestRun(k0: number, k1: number, hit: (k: number) => boolean): Run | null {
  let best: Run | null = null;
  let start = -1;
  for (let k = k0; k <= k1 + 1; k++) {
    const h = k <= k1 && hit(k);
    if (h && start < 0) start = k;
    if (!h && start >= 0) {
      if (best === null || k - 1 - start > best.end - best.start) best = { start, end: k - 1 };
      start = -1;
    }
  }
  return best;
}

/** First run of consecutive samples in [k0, k1] where `hit` holds (it may continue past k1). */
function firstRun(k0: number, k1: number, last: number, hit: (k: number) => boolean): Run | null {
  for (let k = k0; k <= k1; k++) {
    if (!hit(k)) continue;
    let end = k;
    while (end + 1 <= last && hit(end + 1)) end++;
    return { start: k, end };
  }
  return null;
}

/** Duration a run covers, s: from its first to its last sample. */
function seconds(run: Run | null, hz: number): number {
  return run === null ? 0 : (run.end - run.start) / hz;
}

const TIERS: readonly Tier[] = ['high', 'medium', 'low'];

/**
 * Turns an injected episode's sample window into the ground truth a detector should report: the episode's first
 * and last sample beyond the lowest threshold, its peak, and the highest tier it sustained. Returns false when
 * the telemetry does not hold a detectable episode (then the event is dropped from the truth).
 */
export function measureEpisode(e: SimEvent, trace: DriveTrace, hz: number): boolean {
  const w = e.window;
  if (w === null) return true;
  const last = trace.n - 1;
  const k1 = Math.min(last, w.k1 + 2 * hz);
  const k0 = Math.max(0, w.k0);
  const { a, aLat, v, limit } = trace;
  const sustain = THRESHOLDS.sustainS;
  let run: Run | null = null;
  if (e.kind === 'harsh_brake') {
    run = firstRun(k0, Math.min(w.k1, last), last, (k) => (a[k] ?? 0) <= THRESHOLDS.harshBrakeTiers.low);
    if (run === null) return false;
    const r = run;
    const tier =
      TIERS.find(
        (t) =>
          seconds(
            longestRun(r.start, r.end, (k) => (a[k] ?? 0) <= THRESHOLDS.harshBrakeTiers[t]),
            hz,
          ) >= sustain,
      ) ?? null;
    if (tier === null) return false;
    e.severity = tier;
    e.sustainedS = seconds(
      longestRun(r.start, r.end, (k) => (a[k] ?? 0) <= THRESHOLDS.harshBrakeTiers[tier]),
      hz,
    );
    e.peak = minOf(a, r.start, r.end);
  } else if (e.kind === 'harsh_accel') {
    run = firstRun(k0, Math.min(w.k1, last), last, (k) => (a[k] ?? 0) >= THRESHOLDS.harshAccel);
    if (seconds(run, hz) < sustain || run === null) return false;
    e.sustainedS = seconds(run, hz);
    e.peak = maxOf(a, run.start, run.end);
  } else if (e.kind === 'harsh_lateral') {
    run = longestRun(k0, k1, (k) => Math.abs(aLat[k] ?? 0) >= THRESHOLDS.harshLateral);
    if (seconds(run, hz) < sustain || run === null) return false;
    e.sustainedS = seconds(run, hz);
    const hi = maxOf(aLat, run.start, run.end);
    const lo = minOf(aLat, run.start, run.end);
    e.peak = Math.abs(lo) > Math.abs(hi) ? lo : hi;
  } else if (e.kind === 'speeding') {
    const over = (x: number) => (k: number) => (v[k] ?? 0) > (limit[k] ?? Infinity) * (1 + x);
    run = longestRun(k0, k1, over(THRESHOLDS.speedingTiers.low));
    if (run === null) return false;
    const r = run;
    const tier =
      TIERS.find(
        (t) =>
          seconds(longestRun(r.start, r.end, over(THRESHOLDS.speedingTiers[t])), hz) >= THRESHOLDS.speedingSustainS,
      ) ?? null;
    if (tier === null) return false;
    e.severity = tier;
    e.sustainedS = seconds(longestRun(r.start, r.end, over(THRESHOLDS.speedingTiers[tier])), hz);
    e.peak = maxOf(v, r.start, r.end);
    e.speedLimit = limit[r.start] ?? null;
  }
  if (run === null) return false;
  e.k = run.start;
  e.kEnd = run.end;
  return true;
}

function minOf(xs: ArrayLike<number>, k0: number, k1: number): number {
  let m = Infinity;
  for (let k = k0; k <= k1; k++) m = Math.min(m, xs[k] ?? Infinity);
  return m;
}

function maxOf(xs: ArrayLike<number>, k0: number, k1: number): number {
  let m = -Infinity;
  for (let k = k0; k <= k1; k++) m = Math.max(m, xs[k] ?? -Infinity);
  return m;
}
