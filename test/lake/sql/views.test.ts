import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellJson, type JsonValue } from '../../../services/lake/sql/cell-values.js';
import type { SqlResult } from '../../../services/lake/sql/result.js';
import { SqlSandbox } from '../../../services/lake/sql/sandbox.js';
import { ingestPaths } from '../../../services/ingest/ingest.js';
import { Catalog } from '../../../services/ingest/lake/catalog.js';
import { lakePaths } from '../../../services/ingest/lake/paths.js';
import { duckdbColumnsOf } from '../../../services/ingest/schema/column.js';
import { EVENTS, QUARANTINE, SOURCES, TELEMETRY } from '../../../services/ingest/schema/tables.js';
import { lakeTable, query, tempDir, writeFixture } from '../../helpers/lake.js';
import { EXPECTED, FLEET_CSV, buildLake } from './lake-fixture.js';

let dir: string;
let cleanup: () => void;
let data: string;
let sandbox: SqlSandbox;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  data = await buildLake(dir);
  sandbox = await SqlSandbox.open(data);
});

afterAll(() => {
  sandbox?.close();
  cleanup();
});

/** Rows as objects of JSON values, by column name. */
function objects(result: SqlResult): Record<string, JsonValue>[] {
  return Array.from({ length: result.rowCount }, (_, r) =>
    Object.fromEntries(result.columns.map((c) => [c.name, cellJson(c, r)])),
  );
}

/** Each row as DuckDB's own JSON of it, parsed: compares every column at full precision, whatever the reader. */
async function sandboxRows(view: string): Promise<unknown[]> {
  const result = await sandbox.query(`SELECT to_json(t)::VARCHAR AS j FROM ${view} t ORDER BY j`);
  return objects(result).map((o) => JSON.parse(String(o.j)));
}

async function parquetRows(table: 'telemetry' | 'events' | 'quarantine'): Promise<unknown[]> {
  const rows = await query(
    `SELECT to_json(t)::VARCHAR AS j FROM (SELECT * FROM ${lakeTable(data, table)}) t ORDER BY j`,
  );
  return rows.map((r) => JSON.parse(String(r.j)));
}

describe('the lake views', () => {
  it('telemetry is exactly the stored rows, with the date and company partition columns', async () => {
    const rows = await sandboxRows('telemetry');
    expect(rows).toHaveLength(EXPECTED.telemetry.acme + EXPECTED.telemetry.beta);
    expect(rows).toEqual(await parquetRows('telemetry'));
  });

  it('events is exactly the stored rows', async () => {
    const rows = await sandboxRows('events');
    expect(rows.length).toBeGreaterThanOrEqual(EXPECTED.events.acme + EXPECTED.events.beta);
    expect(rows).toEqual(await parquetRows('events'));
  });

  it('quarantine is exactly the stored rows, with the date (of ingest) partition column', async () => {
    const rows = await sandboxRows('quarantine');
    expect(rows).toHaveLength(EXPECTED.quarantine);
    expect(rows).toEqual(await parquetRows('quarantine'));
  });

  it('sources is the catalog', async () => {
    const result = await sandbox.query('SELECT * FROM sources ORDER BY source_id');
    const rows = objects(result);
    const catalog = new Catalog(lakePaths(data)).list().sort((a, b) => a.source_id.localeCompare(b.source_id));
    expect(rows).toHaveLength(EXPECTED.sources);
    expect(rows).toEqual(
      catalog.map((e) => Object.fromEntries(Object.keys(SOURCES).map((k) => [k, e[k as keyof typeof e] as JsonValue]))),
    );
  });

  it('has the declared columns and types, then the partition keys (as the API’s views)', async () => {
    const shapes = {
      telemetry: { ...duckdbColumnsOf(TELEMETRY), date: 'DATE', company: 'VARCHAR' },
      events: { ...duckdbColumnsOf(EVENTS), date: 'DATE', company: 'VARCHAR' },
      quarantine: { ...duckdbColumnsOf(QUARANTINE), date: 'DATE' },
      sources: duckdbColumnsOf(SOURCES),
    };
    for (const [view, columns] of Object.entries(shapes)) {
      const result = await sandbox.query(`SELECT * FROM ${view} LIMIT 0`);
      expect(
        result.columns.map((c) => [c.name, c.type.replace('TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ')]),
        view,
      ).toEqual(Object.entries(columns));
    }
  });

  it('answers ordinary analytical SQL: joins, aggregates, windows, CTEs, DESCRIBE', async () => {
    const perVehicle = await sandbox.query(`
      WITH v AS (SELECT vehicle_id, count(*) AS samples, max(speed_mps) AS top FROM telemetry GROUP BY ALL)
      SELECT v.vehicle_id, v.samples, v.top, count(e.event_id) AS events
      FROM v LEFT JOIN events e USING (vehicle_id) GROUP BY ALL ORDER BY vehicle_id`);
    expect(objects(perVehicle)).toEqual([
      { vehicle_id: 'B1', samples: 2, top: 5, events: expect.any(Number) },
      { vehicle_id: 'V1', samples: 3, top: 11, events: expect.any(Number) },
      { vehicle_id: 'V2', samples: 2, top: 8, events: 0 },
    ]);
    const first = await sandbox.query(
      `SELECT vehicle_id, ts, lag(speed_mps) OVER (PARTITION BY vehicle_id ORDER BY ts) AS prev FROM telemetry WHERE vehicle_id = 'V1' ORDER BY ts`,
    );
    expect(objects(first)).toEqual([
      { vehicle_id: 'V1', ts: '2026-09-01T00:00:00.000Z', prev: null },
      { vehicle_id: 'V1', ts: '2026-09-01T00:00:00.100Z', prev: 10 },
      { vehicle_id: 'V1', ts: '2026-09-01T00:00:00.200Z', prev: 10.5 },
    ]);
    const described = await sandbox.query('DESCRIBE telemetry');
    expect(objects(described).map((r) => r.column_name)).toEqual([...Object.keys(TELEMETRY), 'date', 'company']);
  });
});

describe('a lake without files yet', () => {
  it('has empty views with the right columns, and shows rows once files arrive', async () => {
    const { dir: empty, cleanup: done } = tempDir();
    const box = await SqlSandbox.open(path.join(empty, 'data'));
    try {
      for (const view of ['telemetry', 'events', 'quarantine', 'sources']) {
        const result = await box.query(`SELECT * FROM ${view}`);
        expect(result.rowCount, view).toBe(0);
        expect(result.columns.length, view).toBeGreaterThan(5);
      }
      expect((await box.query('SELECT * FROM telemetry', { scope: { company: 'acme' } })).rowCount).toBe(0);

      const file = writeFixture(empty, 'in/fleet.csv', `${FLEET_CSV}\n`);
      await ingestPaths([file], { dataDir: path.join(empty, 'data') });
      const counts = await box.query('SELECT company_id, count(*) AS n FROM telemetry GROUP BY ALL ORDER BY ALL');
      expect(objects(counts)).toEqual([
        { company_id: 'acme', n: 3 },
        { company_id: 'beta', n: 2 },
      ]);
      expect((await box.query('SELECT * FROM quarantine')).rowCount).toBe(1);
      expect((await box.query('SELECT * FROM sources')).rowCount).toBe(1);
      expect((await box.query('SELECT * FROM telemetry', { scope: { company: 'beta' } })).rowCount).toBe(2);
    } finally {
      box.close();
      done();
    }
  });
});
