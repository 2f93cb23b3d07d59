import type { TrackState } from './vehicle-track.js';

/** A file that starts this long before the previous file's end still continues it (overlapping splits), µs. */
const MAX_OVERLAP_US = 600e6;

/**
 * Where each vehicle's last ingested drive ended, across the files of one run and (through the catalog) across
 * runs, so that a drive split into several files — a bag every 5 minutes — becomes one drive on one timeline.
 */
export class TrackRegistry {
  private readonly states = new Map<string, TrackState>();

  static key(company: string, vehicle: string): string {
    return `${company}\u0000${vehicle}`;
  }

  /** Keeps the latest state per vehicle. */
  record(states: Readonly<Record<string, TrackState>>): void {
    for (const [k, raw] of Object.entries(states)) {
      // The catalog stores JSON, where NaN (a value the log did not have) became null.
      const s = Object.fromEntries(
        Object.entries(raw).map(([f, v]) => [f, typeof v === 'number' ? v : NaN]),
      ) as unknown as TrackState;
      const have = this.states.get(k);
      if (!have || s.lastTs > have.lastTs) this.states.set(k, s);
    }
  }

  /**
   * The state to continue from when a vehicle's first sample in a new file is at `tsUs`: only when that sample
   * falls within the drive gap after the previous end (or overlaps it by at most 10 minutes).
   */
  resume(key: string, tsUs: number, driveGapS: number): TrackState | null {
    const s = this.states.get(key);
    if (!s) return null;
    return tsUs > s.lastTs - MAX_OVERLAP_US && tsUs <= s.lastTs + driveGapS * 1e6 ? s : null;
  }

  toJSON(): Record<string, TrackState> {
    return Object.fromEntries(this.states);
  }
}
