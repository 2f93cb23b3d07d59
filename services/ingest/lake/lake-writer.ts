import path from 'node:path';
import type {
  DuckDBDataChunk} from '@duckdb/node-api';
import {
  DOUBLE,
  DuckDBInstance,
  DuckDBTableFunction,
  UINTEGER,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import { SCAN_COLUMN_NAMES, SCAN_COLUMNS } from '../pipeline/scan-columns.js';
import type { ScanRun, ScanSource } from '../pipeline/scan-source.js';
import type { TELEMETRY } from '../schema/tables.js';
import { EVENTS, QUARANTINE } from '../schema/tables.js';
import { MODES } from '../schema/vocab.js';
import { duckdbColumnsOf } from '../schema/column.js';
import type { SqlRunner } from '../detect/detect-events.js';
import type { Staging } from './staging.js';

/** DuckDB's vector size: one table-function call fills at most this many rows. */
const CHUNK_ROWS = 2048;
const SCAN_FUNCTION = 'avlog_telemetry_scan';

const PARQUET = "FORMAT parquet, COMPRESSION zstd, OVERWRITE_OR_IGNORE true";

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function sqlList(values: readonly string[]): string {
  return `[${values.map(sqlString).join(', ')}]::VARCHAR[]`;
}

/** Local calendar date in Asia/Shanghai (UTC+8, no DST since 1991) of a µs epoch column. */
function shanghaiDate(micros: string): string {
  return `make_timestamp((${micros} + 28800000000)::BIGINT)::DATE`;
}

interface ActiveScan {
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
    const types: DuckDBType[] = SCAN_COLUMN_NAMES.map((c) => (SCAN_COLUMNS[c] === 'f64' ? DOUBLE : UINTEGER));
    const fn = DuckDBTableFunction.create({
      name: SCAN_FUNCTION,
      bindFunction: (bind) => {
        SCAN_COLUMN_NAMES.forEach((c, i) => bind.addResultColumn(c, types[i] as DuckDBType));
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
          const vector = output.getColumnVector(i) as unknown as { items: Float64Array | Uint32Array; flush(): void };
          vector.items.set(block[c].subarray(start, start + count));
          vector.flush();
        });
      },
    });
    this.connection.registerTableFunction(fn);
  }

  /** Streams the pipeline into `staging/telemetry/date=…/company=…/part-<source>-<n>-<i>.parquet`. */
  async writeTelemetry(pipeline: ScanSource, staging: Staging, sourceId: string, districtNames: readonly string[]): Promise<void> {
    pipeline.prime();
    for (let seq = 0; !pipeline.done; seq++) {
      const limits = { companies: pipeline.companies.size, vehicles: pipeline.vehicles.size, ads: pipeline.ads.size };
      const scan: ActiveScan = { pipeline, limits, error: null };
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
  }

  private telemetrySql(p: ScanSource, sourceId: string, districts: readonly string[], dir: string, seq: number): string {
    const n = (c: string) => `nullif(${c}, 'NaN'::DOUBLE)`;
    const vehicle = `(${sqlList(p.vehicles.values)})[vehicle]`;
    const columns: Record<keyof typeof TELEMETRY, string> = {
      company_id: `(${sqlList(p.companies.values)})[company]`,
      vehicle_id: vehicle,
      drive_id: `${vehicle} || '-' || strftime(make_timestamp(drive_start_us::BIGINT), '%Y%m%dT%H%M%SZ')`,
      ts: 'make_timestamp(ts_us::BIGINT)::TIMESTAMPTZ',
      lat: 'lat',
      lon: 'lon',
      speed_mps: n('speed_mps'),
      heading_deg: n('heading_deg'),
      accel_lon_mps2: n('accel_lon_mps2'),
      accel_lat_mps2: n('accel_lat_mps2'),
      mode: `(${sqlList(MODES)})[mode]`,
      speed_limit_mps: n('speed_limit_mps'),
      ads_version: `(${sqlList(p.ads.values)})[ads]`,
      seg_m: 'seg_m',
      dt_s: n('dt_s'),
      jerk_mps3: n('jerk_mps3'),
      district: districts.length ? `(${sqlList(districts)})[district]` : 'NULL::VARCHAR',
      local_date: shanghaiDate('ts_us'),
      source_id: sqlString(sourceId),
      source_row: 'source_row::BIGINT',
    };
    const select = Object.entries(columns).map(([name, expr]) => `${expr} AS ${name}`);
    return `COPY (SELECT *, local_date AS date, company_id AS company FROM (SELECT ${select.join(', ')} FROM ${SCAN_FUNCTION}()))
      TO ${sqlString(dir)} (${PARQUET}, PARTITION_BY (date, company), FILENAME_PATTERN ${sqlString(`part-${sourceId}-${seq}-{i}`)})`;
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
      TO ${sqlString(staging.tableDir('events'))} (${PARQUET}, PARTITION_BY (date, company), FILENAME_PATTERN ${sqlString(`part-${sourceId}-{i}`)})`);
  }

  /** Quarantined rows staged as JSON lines → `staging/quarantine/date=<ingest date>/`. */
  async writeQuarantine(jsonl: string, staging: Staging, sourceId: string): Promise<void> {
    await this.connection.run(`COPY (SELECT *, strftime(timezone('Asia/Shanghai', ingested_at), '%Y-%m-%d') AS date
        FROM read_json(${sqlString(jsonl)}, format = 'newline_delimited', columns = ${structLiteral(duckdbColumnsOf(QUARANTINE))}))
      TO ${sqlString(staging.tableDir('quarantine'))} (${PARQUET}, PARTITION_BY (date), FILENAME_PATTERN ${sqlString(`part-${sourceId}-{i}`)})`);
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

function structLiteral(columns: Record<string, string>): string {
  return `{${Object.entries(columns)
    .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
    .join(', ')}}`;
}

export const TEMP_DIR_NAME = path.join('staging', '.duckdb-tmp');
