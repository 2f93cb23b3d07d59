import path from 'node:path';
import type { DuckDBDataChunk } from '@duckdb/node-api';
import {
  DOUBLE,
  ENUM32,
  DuckDBInstance,
  DuckDBTableFunction,
  UINTEGER,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import { SCAN_COLUMN_NAMES, SCAN_COLUMNS, type ScanColumn } from '../pipeline/scan-columns.js';
import type { ScanRun, ScanSource } from '../pipeline/scan-source.js';
import type { TELEMETRY } from '../schema/tables.js';
import { EVENTS, MILEAGE, QUARANTINE } from '../schema/tables.js';
import { MODES } from '../schema/vocab.js';
import { duckdbColumnsOf } from '../schema/column.js';
import { rollupSelect } from './rollup.js';
import { hiveScan, partitionBy, sqlString, structLiteral, type SqlRunner } from './sql.js';
import type { Staging } from './staging.js';

/** DuckDB's vector size: one table-function call fills at most this many rows. */
const CHUNK_ROWS = 2048;
const SCAN_FUNCTION = 'avlog_telemetry_scan';

const PARQUET = 'FORMAT parquet, COMPRESSION zstd, OVERWRITE_OR_IGNORE true';

/** Local calendar date in Asia/Shanghai (UTC+8, no DST since 1991) of a µs epoch column. */
function shanghaiDate(micros: string): string {
  return `make_timestamp((${micros} + 28800000000)::BIGINT)::DATE`;
}

interface EnumOrNumberVector {
  items: Float64Array | Uint32Array;
  validity: { setItemValid(index: number, valid: boolean): void };
  flush(): void;
}

interface ActiveScan {
  source: ScanSource;
  districts: readonly string[];
  /** Columns sent as ENUMs in this scan. */
  enums: ReadonlySet<ScanColumn>;
  pipeline: ScanSource;
  limits: { companies: number; vehicles: number; ads: number };
  error: unknown;
}

/**
 * Writes a source's rows as Hive-partitioned zstd Parquet into its staging workspace with DuckDB. Telemetry
 * streams through a table function: DuckDB pulls 2048-row chunks from the pipeline while its own threads encode
 * and compress, so reading, validating and writing overlap and nothing is materialised.
 */
export class LakeWriter {
  private readonly instance: DuckDBInstance;
  private readonly connection: DuckDBConnection;
  private active: ActiveScan | null = null;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.instance = instance;
    this.connection = connection;
  }

  static async open(tempDir: string): Promise<LakeWriter> {
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: '512MB',
      // One thread: the table-function source is single-threaded anyway, and the telemetry worker needs the other core.
      threads: '1',
      temp_directory: tempDir,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    const writer = new LakeWriter(instance, connection);
    writer.registerScan();
    return writer;
  }

  private registerScan(): void {
    const fn = DuckDBTableFunction.create({
      name: SCAN_FUNCTION,
      bindFunction: (bind) => {
        const scan = this.active;
        // Dictionary columns are ENUMs over the values known when the scan starts: DuckDB writes them to Parquet
        // as dictionary-encoded strings without hashing a string per row (4× faster than a list lookup here).
        const enums: Partial<Record<ScanColumn, readonly string[]>> = enumValues(scan);
        for (const c of SCAN_COLUMN_NAMES) {
          const values = enums[c];
          // An empty dictionary means the column is all null: it stays numeric and the SELECT writes NULL.
          const type: DuckDBType = values?.length ? ENUM32(values) : SCAN_COLUMNS[c] === 'f64' ? DOUBLE : UINTEGER;
          bind.addResultColumn(c, type);
        }
      },
      initFunction: () => undefined,
      mainFunction: (info, output: DuckDBDataChunk) => {
        const scan = this.active;
        if (!scan || scan.error) {
          output.rowCount = 0;
          return;
        }
        let run: ScanRun | null;
        try {
          run = scan.pipeline.nextRun(CHUNK_ROWS, scan.limits);
        } catch (e) {
          scan.error = e;
          output.rowCount = 0;
          info.setError((e as Error).message);
          return;
        }
        output.rowCount = run ? run.count : 0;
        if (!run) return;
        const { block, start, count } = run;
        SCAN_COLUMN_NAMES.forEach((c, i) => {
          const vector = output.getColumnVector(i) as unknown as EnumOrNumberVector;
          if (scan.enums.has(c)) {
            // 1-based codes with 0 for null → 0-based enum indexes plus validity
            const src = block[c] as Uint32Array;
            const items = vector.items as Uint32Array;
            for (let k = 0; k < count; k++) {
              const code = src[start + k] as number;
              if (code === 0) {
                items[k] = 0;
                vector.validity.setItemValid(k, false);
              } else {
                items[k] = code - 1;
              }
            }
          } else {
            vector.items.set(block[c].subarray(start, start + count));
          }
          vector.flush();
        });
      },
    });
    this.connection.registerTableFunction(fn);
  }

  /** Streams the pipeline into `staging/telemetry/date=…/company=…/part-<source>-<n>-<i>.parquet`. */
  async writeTelemetry(
    pipeline: ScanSource,
    staging: Staging,
    sourceId: string,
    districtNames: readonly string[],
  ): Promise<void> {
    pipeline.prime();
    for (let seq = 0; !pipeline.done; seq++) {
      const limits = { companies: pipeline.companies.size, vehicles: pipeline.vehicles.size, ads: pipeline.ads.size };
      const base = {
        source: pipeline,
        districts: districtNames,
        enums: new Set<ScanColumn>(),
        pipeline,
        limits,
        error: null,
      };
      const scan: ActiveScan = {
        ...base,
        enums: new Set(
          Object.entries(enumValues(base))
            .filter(([, v]) => v.length)
            .map(([c]) => c as ScanColumn),
        ),
      };
      this.active = scan;
      const sql = this.telemetrySql(pipeline, sourceId, districtNames, staging.tableDir('telemetry'), seq);
      try {
        await this.connection.run(sql);
      } catch (e) {
        throw scan.error ?? e;
      } finally {
        this.active = null;
      }
      if (scan.error) throw scan.error;
    }
    await this.writeRollup(staging, sourceId);
  }

  /**
   * The source's telemetry rollup (`rollup.ts`) → `staging/rollup/date=…/company=…/part-<source>-<i>.parquet`, from
   * its staged telemetry, or from `telemetryFiles` (absolute lake paths: a backfill of an ingested source).
   * Nothing is written for a source without telemetry.
   */
  async writeRollup(staging: Staging, sourceId: string, telemetryFiles?: readonly string[]): Promise<void> {
    const files =
      telemetryFiles ??
      staging
        .stagedFiles()
        .filter((f) => f.startsWith(`telemetry${path.sep}`))
        .map((f) => path.join(staging.dir, f));
    if (!files.length) return;
    const scan = hiveScan(files, 'telemetry');
    await this.connection.run(`COPY (${rollupSelect(scan)})
      TO ${sqlString(staging.tableDir('rollup'))} (${PARQUET}, ${partitionBy('rollup')}, FILENAME_PATTERN ${sqlString(`part-${sourceId}-{i}`)})`);
  }

  private telemetrySql(
    p: ScanSource,
    sourceId: string,
    districts: readonly string[],
    dir: string,
    seq: number,
  ): string {
    const n = (c: string) => `nullif(${c}, 'NaN'::DOUBLE)`;
    const vehicle = 'vehicle::VARCHAR';
    const columns: Record<keyof typeof TELEMETRY, string> = {
      company_id: 'company',
      vehicle_id: 'vehicle',
      drive_id: `${vehicle} || '-' || strftime(make_timestamp(drive_start_us::BIGINT), '%Y%m%dT%H%M%SZ')`,
      ts: 'make_timestamp(ts_us::BIGINT)::TIMESTAMPTZ',
      lat: 'lat',
      lon: 'lon',
      speed_mps: n('speed_mps'),
      heading_deg: n('heading_deg'),
      accel_lon_mps2: n('accel_lon_mps2'),
      accel_lat_mps2: n('accel_lat_mps2'),
      mode: 'mode',
      speed_limit_mps: n('speed_limit_mps'),
      ads_version: p.ads.size ? 'ads' : 'NULL::VARCHAR',
      seg_m: 'seg_m',
      seg_pos_m: 'seg_pos_m',
      dt_s: n('dt_s'),
      jerk_mps3: n('jerk_mps3'),
      district: districts.length ? 'district' : 'NULL::VARCHAR',
      local_date: shanghaiDate('ts_us'),
      source_id: sqlString(sourceId),
      source_row: 'source_row::BIGINT',
    };
    const select = Object.entries(columns).map(([name, expr]) => `${expr} AS ${name}`);
    return `COPY (SELECT *, local_date AS date, company_id AS company FROM (SELECT ${select.join(', ')} FROM ${SCAN_FUNCTION}()))
      TO ${sqlString(dir)} (${PARQUET}, ${partitionBy('telemetry')}, FILENAME_PATTERN ${sqlString(`part-${sourceId}-${seq}-{i}`)})`;
  }

  /** Event rows staged as JSON lines (ts as µs) → `staging/events/date=…/company=…/`. */
  async writeEvents(jsonl: string, staging: Staging, sourceId: string): Promise<void> {
    const { ts: _ts, ts_end: _tsEnd, local_date: _d, ...rest } = duckdbColumnsOf(EVENTS);
    const columns = { ...rest, ts_us: 'DOUBLE', ts_end_us: 'DOUBLE' };
    const select = Object.keys(EVENTS).map((c) => {
      if (c === 'ts') return 'make_timestamp(ts_us::BIGINT)::TIMESTAMPTZ AS ts';
      if (c === 'ts_end') return 'make_timestamp(ts_end_us::BIGINT)::TIMESTAMPTZ AS ts_end';
      if (c === 'local_date') return `${shanghaiDate('ts_us')} AS local_date`;
      return c;
    });
    await this.connection.run(`COPY (SELECT *, local_date AS date, company_id AS company FROM (
        SELECT ${select.join(', ')} FROM read_json(${sqlString(jsonl)}, format = 'newline_delimited', columns = ${structLiteral(columns)})))
      TO ${sqlString(staging.tableDir('events'))} (${PARQUET}, ${partitionBy('events')}, FILENAME_PATTERN ${sqlString(`part-${sourceId}-{i}`)})`);
  }

  /** Regulator mileage rows staged as JSON lines (dates as `YYYY-MM-DD`) → `staging/mileage/company=…/`. */
  async writeMileage(jsonl: string, staging: Staging, sourceId: string): Promise<void> {
    await this.connection.run(`COPY (SELECT *, company_id AS company FROM (
        SELECT ${Object.keys(MILEAGE).join(', ')} FROM read_json(${sqlString(jsonl)}, format = 'newline_delimited', columns = ${structLiteral(duckdbColumnsOf(MILEAGE))})))
      TO ${sqlString(staging.tableDir('mileage'))} (${PARQUET}, ${partitionBy('mileage')}, FILENAME_PATTERN ${sqlString(`part-${sourceId}-{i}`)})`);
  }

  /** Quarantined rows staged as JSON lines → `staging/quarantine/date=<ingest date>/`. */
  async writeQuarantine(jsonl: string, staging: Staging, sourceId: string): Promise<void> {
    await this.connection.run(`COPY (SELECT *, strftime(timezone('Asia/Shanghai', ingested_at), '%Y-%m-%d') AS date
        FROM read_json(${sqlString(jsonl)}, format = 'newline_delimited', columns = ${structLiteral(duckdbColumnsOf(QUARANTINE))}))
      TO ${sqlString(staging.tableDir('quarantine'))} (${PARQUET}, ${partitionBy('quarantine')}, FILENAME_PATTERN ${sqlString(`part-${sourceId}-{i}`)})`);
  }

  /** The connection, for passes over staged files (event detection). */
  get sql(): SqlRunner {
    const c = this.connection;
    return {
      run: (sql: string) => c.run(sql),
      rows: async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[],
    };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** The ENUM dictionaries of a scan's string columns (1-based codes in the pipeline map onto these 0-based). */
function enumValues(
  scan: { source: ScanSource; districts: readonly string[] } | null,
): Record<'company' | 'vehicle' | 'ads' | 'mode' | 'district', readonly string[]> {
  return {
    company: scan?.source.companies.values ?? [],
    vehicle: scan?.source.vehicles.values ?? [],
    ads: scan?.source.ads.values ?? [],
    mode: MODES,
    district: scan?.districts ?? [],
  };
}

export const TEMP_DIR_NAME = path.join('staging', '.duckdb-tmp');
