import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { partitionBy, sqlString, type SqlRunner } from '../lake/sql.js';
import { duckdbColumnsOf } from '../schema/column.js';
import { EVENTS } from '../schema/tables.js';
import { DETECTED_KINDS, TIERED_KINDS, type DetectedKind, type MotionKind } from '../../vocabulary/event-kinds.js';
import { HUMAN_MODES } from '../../vocabulary/modes.js';
import { TIERS } from '../../vocabulary/severities.js';
import type { DetectThresholds } from '../../vocabulary/thresholds.js';
import { resolveThresholds, type ThresholdOverrides } from './thresholds.js';

export interface DetectInput {
  /** Staged telemetry of one source: Hive-partitioned Parquet (`date=…/company=…/part-*.parquet`). */
  readonly telemetryDir: string;
  /** Where to write detected events: Hive-partitioned by (date, company), like `lake/events`. */
  readonly eventsDir: string;
  readonly sourceId: string;
}

export interface DetectOptions {
  /** Changes to DEFAULT_THRESHOLDS (thresholds.ts). */
  readonly thresholds?: ThresholdOverrides;
  /** Kinds to detect; default all of DETECTED_KINDS. */
  readonly kinds?: readonly DetectedKind[];
  /**
   * DuckDB threads while detecting a large source (≥ PARALLEL_MIN_BYTES of Parquet; restored after), default the
   * machine's cores. The ingest's writer runs with one, as its table-function source is single-threaded and the
   * telemetry worker needs the other core; detection runs after reading, when that core is free, and its Parquet
   * scans split by row group. Small sources keep the setting: restarting the thread pool costs more than it saves.
   */
  readonly threads?: number;
}

/**
 * Width of the time buckets mode changes are first looked for in, µs (see modeBucketsSql): ordering only the
 * samples of buckets around a change instead of every sample of the source costs a fraction on 10 M rows.
 */
const MODE_BUCKET_US = 5_000_000;
/** Staged telemetry from this size up is scanned with more DuckDB threads (about 2 M rows). */
const PARALLEL_MIN_BYTES = 64 << 20;

/** A number for SQL text (thresholds are checked finite by resolveThresholds). */
function num(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  return `(${x})::DOUBLE`;
}

function micros(seconds: number): string {
  return `${Math.round(seconds * 1e6)}::BIGINT`;
}

/** A sample-level condition per motion kind, on columns `a`, `al`, `j`, `speed_mps`, `lim`. */
interface Condition {
  /** Which samples are beyond the kind's (lowest) threshold. */
  where: string;
  /** Tier 1–3 of such a sample. */
  level: string;
  /** The value the peak is taken of. */
  value: string;
}

function conditions(t: DetectThresholds): Record<MotionKind, Condition> {
  const b = t.harshBrake;
  const s = t.speeding;
  const over = (x: number) => `speed_mps > lim * ${num(1 + x)}`;
  return {
    harsh_brake: {
      where: `a <= ${num(b.low)}`,
      level: `CASE WHEN a <= ${num(b.high)} THEN 3 WHEN a <= ${num(b.medium)} THEN 2 ELSE 1 END`,
      value: 'a',
    },
    harsh_accel: { where: `a >= ${num(t.harshAccel)}`, level: '1', value: 'a' },
    harsh_lateral: {
      where: `(al >= ${num(t.harshLateral)} OR al <= ${num(-t.harshLateral)})`,
      level: '1',
      value: 'al',
    },
    harsh_jerk: { where: `j <= ${num(t.harshJerk)}`, level: '1', value: 'j' },
    speeding: {
      where: `lim > 0 AND ${over(s.low)}`,
      level: `CASE WHEN ${over(s.high)} THEN 3 WHEN ${over(s.medium)} THEN 2 ELSE 1 END`,
      value: 'speed_mps',
    },
  };
}

/** Total size of the Parquet files under `dir`, bytes (0: none). */
function parquetBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.parquet'))
    .reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
}

/**
 * Detects events in a source's staged telemetry and stages them as `origin = 'detected'` events, Hive-partitioned
 * like `LakeWriter.writeEvents` (file names `part-<source>-detected-<i>.parquet`). Returns how many (0: nothing
 * written).
 *
 * - harsh_brake / harsh_accel / harsh_lateral / harsh_jerk / speeding: one event per episode, an episode being a
 *   run of consecutive samples of a drive beyond the kind's (lowest) threshold. Samples are consecutive when the
 *   later one's previous sample (its `ts − dt_s`, from the pipeline) is the earlier one and `dt_s` ≤ maxSampleGapS,
 *   so a dropout breaks the run. An episode counts when its first to last sample spans the kind's sustain time;
 *   brakes and speeding get the deepest tier that held for the sustain time within the episode. Samples with a
 *   null value (e.g. the first of a drive with derived acceleration) are beyond no threshold.
 * - disengagement / ads_activated: a change autonomous → manual|remote (or back) between consecutive samples of a
 *   drive; `initiator` null (the vehicle's event log says who; metrics reconcile logged and detected).
 */
export async function detectEvents(db: SqlRunner, input: DetectInput, options: DetectOptions = {}): Promise<number> {
  const t = resolveThresholds(options.thresholds);
  const kinds = new Set<DetectedKind>(options.kinds ?? DETECTED_KINDS);
  for (const k of kinds)
    if (!(DETECTED_KINDS as readonly string[]).includes(k)) throw new RangeError(`cannot detect event kind "${k}"`);
  const bytes = parquetBytes(input.telemetryDir);
  if (kinds.size === 0 || bytes === 0) return 0;

  const id = input.sourceId.replace(/[^0-9A-Za-z_]/gu, '_');
  const tables = { buckets: `avlog_detect_buckets_${id}`, flagged: `avlog_detect_flagged_${id}` };
  const src = `read_parquet(${sqlString(`${input.telemetryDir.split(path.sep).join('/')}/**/*.parquet`)}, hive_partitioning = false)`;
  const motion = Object.entries(conditions(t)).filter(([k]) => kinds.has(k as DetectedKind));
  const modeKinds = (['disengagement', 'ads_activated'] as const).filter((k) => kinds.has(k));
  const drop = async () => {
    for (const name of Object.values(tables)) await db.run(`DROP TABLE IF EXISTS ${name}`);
  };
  // More threads only pay for a large source: changing the setting restarts DuckDB's thread pool.
  let threadsBefore: number | null = null;
  const threads = Math.max(1, Math.floor(options.threads ?? os.availableParallelism()));
  if (threads > 1 && bytes >= PARALLEL_MIN_BYTES) {
    const [setting] = await db.rows("SELECT current_setting('threads')::INTEGER AS threads");
    const before = Number(setting?.threads);
    if (Number.isInteger(before) && before !== threads) threadsBefore = before;
  }
  const eventsDirExisted = fs.existsSync(input.eventsDir);
  await drop();
  if (threadsBefore !== null) await db.run(`SET threads = ${threads}`);
  try {
    if (modeKinds.length > 0) await db.run(modeBucketsSql(src, tables.buckets));
    await db.run(flaggedSql(src, tables.flagged, motion, modeKinds.length > 0 ? tables.buckets : null, t));
    // Most small sources hold nothing of one part or the other: planning the queries costs more than running them.
    const [found] =
      await db.rows(`SELECT count(*) FILTER (WHERE ${motion.map(([, c]) => `(${c.where})`).join(' OR ') || 'false'})::INTEGER AS motion,
      ${modeKinds.length > 0 ? `(SELECT count(*) FROM ${tables.buckets})::INTEGER` : '0'} AS modes FROM ${tables.flagged}`);
    const parts: string[] = [];
    if (Number(found?.motion) > 0) parts.push(episodesSql(tables.flagged, motion, t, input.sourceId));
    if (Number(found?.modes) > 0) parts.push(transitionsSql(tables.flagged, tables.buckets, modeKinds, input.sourceId));
    if (parts.length === 0) return 0;
    // All events in one COPY, which reports how many rows it wrote.
    const types = duckdbColumnsOf(EVENTS);
    const columns = Object.keys(EVENTS)
      .map((c) => `CAST(${c} AS ${types[c] ?? 'VARCHAR'}) AS ${c}`)
      .join(', ');
    const [copied] = await db.rows(`COPY (
        SELECT *, local_date AS date, company_id AS company FROM (${parts.map((p) => `SELECT ${columns} FROM (${p})`).join('\nUNION ALL\n')})
        ORDER BY company_id, vehicle_id, ts, kind)
      TO ${sqlString(input.eventsDir)} (FORMAT parquet, COMPRESSION zstd, OVERWRITE_OR_IGNORE true, ${partitionBy('events')},
        FILENAME_PATTERN ${sqlString(`part-${input.sourceId}-detected-{i}`)})`);
    const n = Number(copied?.Count ?? 0);
    // A COPY of no rows leaves an empty folder behind.
    if (n === 0 && !eventsDirExisted) fs.rmSync(input.eventsDir, { recursive: true, force: true });
    return n;
  } finally {
    if (threadsBefore !== null) await db.run(`SET threads = ${threadsBefore}`);
    await drop();
  }
}

const BUCKET = `epoch_us(ts) // ${MODE_BUCKET_US}`;

/**
 * Where the mode may change, without ordering every sample: per drive and 5 s bucket the least and greatest mode
 * (one hash aggregate over four columns). A bucket is a candidate when its modes differ, when the bucket before it
 * (the previous non-empty one of the drive) had differing modes, or when its mode differs from that bucket's.
 */
function modeBucketsSql(src: string, table: string): string {
  return `CREATE TEMP TABLE ${table} AS
    WITH buckets AS (
      SELECT company_id, drive_id, ${BUCKET} AS b, min(mode) AS lo, max(mode) AS hi FROM ${src} GROUP BY ALL
    )
    SELECT company_id, drive_id, b, prev_b, prev_mode FROM (
      SELECT *, lag(b) OVER w AS prev_b, lag(lo) OVER w AS prev_mode, lag(lo <> hi) OVER w AS prev_mixed
      FROM buckets WINDOW w AS (PARTITION BY company_id, drive_id ORDER BY b))
    WHERE lo <> hi OR prev_mixed OR lo <> prev_mode`;
}

/**
 * The one full read of the source: samples beyond any enabled motion threshold, and every sample of a candidate
 * mode bucket. Decoding the columns not filtered on costs most of it whatever the filter (a filter on one column
 * pushed into the Parquet reader saves little, as pages are decompressed anyway), so everything after works on
 * this small table.
 */
function flaggedSql(
  src: string,
  table: string,
  motion: [string, Condition][],
  buckets: string | null,
  t: DetectThresholds,
): string {
  const lim =
    t.defaultSpeedLimitMps === null ? 'speed_limit_mps' : `coalesce(speed_limit_mps, ${num(t.defaultSpeedLimitMps)})`;
  const where = motion.map(([, c]) => `(${c.where})`);
  if (buckets !== null)
    where.push(
      `EXISTS (SELECT 1 FROM ${buckets} c WHERE c.company_id = s.company_id AND c.drive_id = s.drive_id AND c.b = s.b)`,
    );
  return `CREATE TEMP TABLE ${table} AS
    SELECT * FROM (
      SELECT company_id, vehicle_id, drive_id, ts, epoch_us(ts) AS t_us, ${BUCKET} AS b,
        epoch_us(ts) - round(dt_s * 1000000)::BIGINT AS prev_us, dt_s, mode,
        lat, lon, speed_mps, district, local_date, source_row,
        accel_lon_mps2 AS a, accel_lat_mps2 AS al, jerk_mps3 AS j, ${lim} AS lim
      FROM ${src}) s
    WHERE ${where.join(' OR ')}`;
}

/**
 * Gaps and islands over the flagged samples, one row per (sample, kind) beyond the kind's threshold: episodes,
 * their tiers, and one event per sustained episode.
 */
function episodesSql(flagged: string, motion: [string, Condition][], t: DetectThresholds, sourceId: string): string {
  const samples = motion
    .map(
      ([kind, c]) =>
        `SELECT ${sqlString(kind)} AS kind, (${c.level})::UTINYINT AS lvl, (${c.value})::DOUBLE AS val, f.* FROM ${flagged} f WHERE ${c.where}`,
    )
    .join('\n      UNION ALL ');
  const sustain = `CASE kind WHEN 'speeding' THEN ${micros(t.speedingSustainS)} WHEN 'harsh_jerk' THEN ${micros(t.jerkSustainS)} ELSE ${micros(t.sustainS)} END`;
  const b = t.harshBrake;
  const s = t.speeding;
  const r3 = (x: string) => `round(${x}, 3)`;
  const tierValue = (tiers: { low: number; medium: number; high: number }) =>
    `CASE tier WHEN 3 THEN ${num(tiers.high)} WHEN 2 THEN ${num(tiers.medium)} ELSE ${num(tiers.low)} END`;
  const sustainedS = `(CASE tier WHEN 3 THEN dur3 WHEN 2 THEN dur2 ELSE dur1 END) / 1e6`;
  const common = `'duration_s', ${r3('dur1 / 1e6')}, 'samples', n`;
  const detail = `CASE kind
      WHEN 'harsh_brake' THEN json_object(${common}, 'sustained_s', ${r3(sustainedS)}, 'threshold_mps2', ${num(b.low)}, 'tier_threshold_mps2', ${tierValue(b)})
      WHEN 'speeding' THEN json_object(${common}, 'sustained_s', ${r3(sustainedS)}, 'limit_mps', ${r3('s0.lim')}, 'limit_kmh', round(s0.lim * 3.6, 1),
        'max_excess', round(max_ratio - 1, 4), 'threshold', ${num(s.low)}, 'tier_threshold', ${tierValue(s)})
      WHEN 'harsh_accel' THEN json_object(${common}, 'threshold_mps2', ${num(t.harshAccel)})
      WHEN 'harsh_lateral' THEN json_object(${common}, 'threshold_mps2', ${num(t.harshLateral)})
      ELSE json_object(${common}, 'threshold_mps3', ${num(t.harshJerk)})
    END::VARCHAR`;
  return `WITH samples AS (
      ${samples}
    ), l AS (
      SELECT *, lag(t_us) OVER w AS p_us, lag(lvl) OVER w AS p_lvl
      FROM samples WINDOW w AS (PARTITION BY kind, company_id, drive_id ORDER BY t_us)
    ), i AS (
      SELECT *,
        sum(CASE WHEN cont THEN 0 ELSE 1 END) OVER w AS ep,
        sum(CASE WHEN cont AND p_lvl >= 2 THEN 0 ELSE 1 END) OVER w AS ep2,
        sum(CASE WHEN cont AND p_lvl >= 3 THEN 0 ELSE 1 END) OVER w AS ep3
      FROM (
        -- Consecutive: the earlier flagged sample is the later one's previous sample (ts − dt_s; 1 µs of slack, as ts
        -- is stored rounded to µs while dt_s is the unrounded difference) and the step is no dropout.
        SELECT *, coalesce(abs(p_us - prev_us) <= 1 AND dt_s <= ${num(t.maxSampleGapS)}, false) AS cont FROM l)
      WINDOW w AS (PARTITION BY kind, company_id, drive_id ORDER BY t_us ROWS UNBOUNDED PRECEDING)
    ), d AS (
      -- How long each run of samples at tier 2 and at tier 3 lasted (ep2 / ep3 number those runs within an episode).
      SELECT *,
        max(t_us) FILTER (WHERE lvl >= 2) OVER w2 - min(t_us) FILTER (WHERE lvl >= 2) OVER w2 AS d2,
        max(t_us) FILTER (WHERE lvl >= 3) OVER w3 - min(t_us) FILTER (WHERE lvl >= 3) OVER w3 AS d3
      FROM i WINDOW w2 AS (PARTITION BY kind, company_id, drive_id, ep2), w3 AS (PARTITION BY kind, company_id, drive_id, ep3)
    ), e AS (
      SELECT kind, company_id, drive_id, ep, any_value(vehicle_id) AS vehicle_id, min(ts) AS ts, max(ts) AS ts_end, count(*) AS n,
        max(t_us) - min(t_us) AS dur1, max(d2) AS dur2, max(d3) AS dur3,
        arg_min({lat: lat, lon: lon, speed_mps: speed_mps, district: district, local_date: local_date, source_row: source_row, lim: lim}, t_us) AS s0,
        min(val) AS vmin, max(val) AS vmax, arg_max(val, abs(val)) AS vabs, max(speed_mps / lim) AS max_ratio
      FROM d GROUP BY kind, company_id, drive_id, ep
    ), sustained AS (
      SELECT *, CASE WHEN dur3 >= ${sustain} THEN 3 WHEN dur2 >= ${sustain} THEN 2 ELSE 1 END AS tier FROM e WHERE dur1 >= ${sustain}
    )
    SELECT
      substr(sha1(concat_ws(chr(0), company_id, vehicle_id, kind, epoch_us(ts)::VARCHAR, 'detected')), 1, 24) AS event_id,
      company_id, vehicle_id, drive_id, ts, ts_end, s0.lat AS lat, s0.lon AS lon, kind,
      CASE WHEN kind IN (${TIERED_KINDS.map(sqlString).join(', ')}) THEN (CASE tier ${TIERS.map((s, i) => `WHEN ${i + 1} THEN ${sqlString(s)}`).join(' ')} END) END AS severity,
      NULL AS initiator, NULL AS cause, 'detected' AS origin, s0.speed_mps AS speed_mps,
      CASE kind WHEN 'harsh_accel' THEN vmax WHEN 'speeding' THEN vmax WHEN 'harsh_lateral' THEN vabs ELSE vmin END AS peak,
      s0.district AS district, ${detail} AS detail, s0.local_date AS local_date, ${sqlString(sourceId)} AS source_id, s0.source_row AS source_row
    FROM sustained`;
}

/**
 * Mode changes between consecutive samples of a drive, in the candidate buckets: the first sample of a candidate
 * bucket takes its previous mode from the previous bucket's last sample when that bucket is a candidate too, else
 * from that bucket's only mode.
 */
function transitionsSql(
  flagged: string,
  buckets: string,
  kinds: readonly ('disengagement' | 'ads_activated')[],
  sourceId: string,
): string {
  const human = `(${HUMAN_MODES.map(sqlString).join(', ')})`;
  const wanted: string[] = [];
  if (kinds.includes('disengagement')) wanted.push(`(from_mode = 'autonomous' AND mode IN ${human})`);
  if (kinds.includes('ads_activated')) wanted.push(`(from_mode IN ${human} AND mode = 'autonomous')`);
  return `WITH r AS (
      SELECT f.*, c.prev_b, c.prev_mode FROM ${flagged} f JOIN ${buckets} c USING (company_id, drive_id, b)
    ), t AS (
      SELECT *, CASE WHEN lag(b) OVER w IN (b, prev_b) THEN lag(mode) OVER w ELSE prev_mode END AS from_mode
      FROM r WINDOW w AS (PARTITION BY company_id, drive_id ORDER BY ts)
    )
    SELECT
      substr(sha1(concat_ws(chr(0), company_id, vehicle_id, kind, epoch_us(ts)::VARCHAR, 'detected')), 1, 24) AS event_id,
      kind, company_id, vehicle_id, drive_id, ts, NULL AS ts_end, lat, lon, NULL AS severity, NULL AS initiator, NULL AS cause,
      'detected' AS origin, speed_mps, NULL AS peak, district,
      json_object('from', from_mode, 'to', mode)::VARCHAR AS detail, local_date, ${sqlString(sourceId)} AS source_id, source_row
    FROM (SELECT *, CASE WHEN from_mode = 'autonomous' THEN 'disengagement' ELSE 'ads_activated' END AS kind FROM t WHERE ${wanted.join(' OR ')})`;
}
