/** Runs SQL on the ingest's DuckDB connection. */
export interface SqlRunner {
  run(sql: string): Promise<unknown>;
  /** Runs a query and returns its rows as plain objects. */
  rows(sql: string): Promise<Record<string, unknown>[]>;
}

export interface DetectInput {
  /** Staged telemetry of one source: Hive-partitioned Parquet (`date=…/company=…/part-*.parquet`). */
  readonly telemetryDir: string;
  /** Where to write detected events: Hive-partitioned by (date, company), like `lake/events`. */
  readonly eventsDir: string;
  readonly sourceId: string;
}

/**
 * Detects events in a source's staged telemetry (harsh braking, acceleration, lateral, jerk, speeding,
 * disengagements from mode transitions) and stages them as `origin = 'detected'` events. Returns how many.
 * (Placeholder until the detection module lands.)
 */
export async function detectEvents(_db: SqlRunner, _input: DetectInput): Promise<number> {
  return 0;
}
