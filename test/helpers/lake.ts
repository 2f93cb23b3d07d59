import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'avlog-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs SQL on a fresh in-memory DuckDB and returns rows as JSON-friendly objects. */
export async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** `read_parquet` over one lake table with Hive partitioning, as any engine would read it. */
export function lakeTable(dataDir: string, table: 'telemetry' | 'events' | 'quarantine'): string {
  return `read_parquet('${path.join(dataDir, 'lake', table).replaceAll("'", "''")}/**/*.parquet', hive_partitioning = true)`;
}

/** Writes a fixture file and returns its path. */
export function writeFixture(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

export const SHARED_DATA = path.resolve(import.meta.dirname, '../../../shared/data');
