import type { DistrictIndex } from '../reference/districts/district-index.js';
import type { RoadLimits } from '../reference/roads/road-limits.js';
import { SHENZHEN_REGION, type Region } from './geo/region.js';
import type { Crs, Encoding, SourceKind } from './schema/vocab.js';

export interface IngestOptions {
  /** Data directory holding `lake/`, `catalog/` and `staging/`. */
  readonly dataDir: string;
  /** Coordinate system of plain lat/lon columns; columns named `*_gcj02`/`*_bd09` declare their own. */
  readonly crs: Crs;
  /** Text encoding; null detects it. */
  readonly encoding: Encoding | null;
  readonly districts: DistrictIndex | null;
  /** Road network for speed limits (`speed_limit_mps`, speeding detection); null: none. */
  readonly roads: RoadLimits | null;
  /** Used when a log has no company / vehicle column. */
  readonly company: string | null;
  readonly vehicle: string | null;
  /** Unit of a column named just `speed`. */
  readonly speedUnit: 'mps' | 'kmh';
  /** A gap longer than this between two samples of a vehicle starts a new drive, s. */
  readonly driveGapS: number;
  /** Zone of timestamp strings without one, minutes east of UTC (Beijing: 480). */
  readonly localOffsetMin: number;
  /** Samples dated before this (ISO date) are quarantined as timestamp_out_of_range. */
  readonly earliest: string;
  /** The clock for "now + 1 day", ms since the epoch; null: the real clock (tests pin it). */
  readonly now: number | null;
  /** Force the source kind instead of detecting it from the columns. */
  readonly kind: SourceKind | null;
  /** Only rows of this company may be written (an engineer's upload); a source with others is refused whole. */
  readonly writeCompany: string | null;
  /** Operating region: samples outside are stored and counted (`outside_region`). */
  readonly region: Region;
}

export const DEFAULT_INGEST_OPTIONS = {
  crs: 'wgs84',
  encoding: null,
  districts: null,
  roads: null,
  company: null,
  vehicle: null,
  speedUnit: 'mps',
  driveGapS: 300,
  localOffsetMin: 480,
  kind: null,
  region: SHENZHEN_REGION,
  earliest: '2000-01-01',
  now: null,
  writeCompany: null,
} as const satisfies Omit<IngestOptions, 'dataDir'>;

/** Physical limits behind the validation rules. */
export const LIMITS = {
  /** 100 m/s = 360 km/h: above any road vehicle. */
  maxSpeedMps: 100,
  /** Position jumps: implied speed above this (≈ 324 km/h) over more than `jumpMinM` is a GNSS glitch. */
  jumpSpeedMps: 90,
  /** GNSS noise never moves a fix this far between two samples. */
  jumpMinM: 100,
  /** Acceleration and jerk are only derived across samples closer than this, s. */
  maxDeriveGapS: 2,
  /**
   * Width of the centred window acceleration, lateral acceleration and jerk are fitted over (local linear
   * regression), s: the span the "true acceleration" is defined over, ≥ 10 samples at 20 Hz, and shorter
   * than the 0.3 s debounce plus its own half-width, so a sustained episode keeps its plateau (docs/derivations.md).
   */
  deriveWindowS: 0.5,
  /** Time constant of the low-pass filter applied to (fitted) acceleration before differentiating to jerk, s. */
  jerkFilterTauS: 0.5,
  /** A single-sample speed excursion that returns is a glitch when it leaves its neighbours' line by more, m/s. */
  speedSpikeMinMps: 0.25,
  /** … or by more than this acceleration could build over the shorter neighbouring interval, m/s². */
  speedSpikeAccelMps2: 5,
  /** Logged acceleration must match the speed change over the window within this mean acceleration, m/s². */
  accelCheckMps2: 1,
  /** Logged lateral acceleration must match v·dψ/dt over the window within this, m/s². */
  accelLatCheckMps2: 1.5,
  /** Below this speed a GNSS course is noise: lateral acceleration is taken as 0, m/s. */
  minCourseSpeedMps: 1,
} as const;
