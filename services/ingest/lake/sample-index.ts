import fs from 'node:fs';
import path from 'node:path';

/** Per vehicle key (`TrackRegistry.key`): the time intervals [first, last] µs a source stores samples in. */
export type Coverage = Record<string, [number, number][]>;

/** A stored source as the index needs it: which intervals it covers, and where its exact timestamps are. */
export interface IndexedSource {
  source_id: string;
  file: string;
  coverage: Coverage;
}

/** The index's inputs, plain data so that a worker thread can build the same index. */
export interface SampleIndexSpec {
  /** Folder of the per-source timestamp files (`<source_id>.samples`). */
  dir: string;
  sources: IndexedSource[];
}

/** Two stored samples further apart than this start a new coverage interval, µs (5 minutes: the drive gap). */
const INTERVAL_GAP_US = 300e6;

export interface Holder {
  source: IndexedSource;
  intervals: [number, number][];
  times: Float64Array | null;
}

/**
 * Which stored source already holds a vehicle's sample at an instant: the identity of a sample is (vehicle, ts).
 * A new sample is first compared with each source's coverage intervals for its vehicle (a few per drive), and only
 * when it falls inside one are that source's exact timestamps read (sorted, binary-searched), so a file that
 * overlaps nothing costs one interval test per sample, and an overlap is found at any distance in time.
 */
export class SampleIndex {
  private readonly dir: string;
  private readonly byKey = new Map<string, Holder[]>();
  private readonly files = new Map<string, Map<string, Float64Array>>();

  constructor(spec: SampleIndexSpec) {
    this.dir = spec.dir;
    for (const source of spec.sources) this.add(source);
  }

  add(source: IndexedSource): void {
    for (const [key, intervals] of Object.entries(source.coverage)) {
      const list = this.byKey.get(key) ?? [];
      list.push({ source, intervals, times: null });
      this.byKey.set(key, list);
    }
  }

  spec(): SampleIndexSpec {
    const seen = new Set<IndexedSource>();
    for (const list of this.byKey.values()) for (const h of list) seen.add(h.source);
    return { dir: this.dir, sources: [...seen] };
  }

  /** The stored sources of this vehicle (null when none): pass it to `holder` for each of the vehicle's samples. */
  holders(key: string): Holder[] | null {
    return this.byKey.get(key) ?? null;
  }

  /** The source that already stores this vehicle's sample at `tsUs`, or null. */
  holder(holders: readonly Holder[], key: string, tsUs: number): IndexedSource | null {
    for (const h of holders) {
      if (!inIntervals(h.intervals, tsUs)) continue;
      h.times ??= this.times(h.source.source_id, key);
      if (contains(h.times, tsUs)) return h.source;
    }
    return null;
  }

  private times(sourceId: string, key: string): Float64Array {
    let file = this.files.get(sourceId);
    if (!file) {
      const p = samplesFile(this.dir, sourceId);
      if (!fs.existsSync(p)) throw new Error(`sample index: ${p} is missing (run avlog doctor --repair)`);
      file = readSamples(p);
      this.files.set(sourceId, file);
    }
    return file.get(key) ?? new Float64Array(0);
  }
}

export function samplesFile(dir: string, sourceId: string): string {
  return path.join(dir, `${sourceId}.samples`);
}

/**
 * Writes the stored timestamps of one source (per vehicle key, any order) and returns its coverage. Layout: a
 * uint32 header length, a JSON header `{key: [offset, count]}`, then float64 timestamps (µs, sorted per key).
 */
export function writeSamples(file: string, byKey: ReadonlyMap<string, number[]>): Coverage {
  const coverage: Coverage = {};
  const header: Record<string, [number, number]> = {};
  const arrays: Float64Array[] = [];
  let offset = 0;
  for (const [key, list] of byKey) {
    const sorted = Float64Array.from(list).sort();
    if (sorted.length === 0) continue;
    header[key] = [offset, sorted.length];
    offset += sorted.length;
    arrays.push(sorted);
    const intervals: [number, number][] = [];
    let first = sorted[0] as number;
    let last = first;
    for (const t of sorted) {
      if (t - last > INTERVAL_GAP_US) {
        intervals.push([first, last]);
        first = t;
      }
      last = t;
    }
    intervals.push([first, last]);
    coverage[key] = intervals;
  }
  const json = Buffer.from(JSON.stringify(header));
  const pad = (8 - ((4 + json.length) % 8)) % 8;
  const head = Buffer.alloc(4 + json.length + pad, 0x20);
  head.writeUInt32LE(json.length + pad, 0);
  json.copy(head, 4);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, head);
    for (const a of arrays) fs.writeSync(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return coverage;
}

function readSamples(file: string): Map<string, Float64Array> {
  const buf = fs.readFileSync(file);
  const headLen = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + headLen).toString('utf8')) as Record<string, [number, number]>;
  const body = 4 + headLen;
  const all = new Float64Array(buf.buffer.slice(buf.byteOffset + body, buf.byteOffset + buf.length));
  return new Map(Object.entries(header).map(([k, [o, n]]) => [k, all.subarray(o, o + n)]));
}

function inIntervals(intervals: readonly [number, number][], t: number): boolean {
  for (const [a, b] of intervals) if (t >= a && t <= b) return true;
  return false;
}

function contains(sorted: Float64Array, t: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid] as number;
    if (v === t) return true;
    if (v < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
