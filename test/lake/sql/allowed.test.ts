import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlSandbox } from '../../../services/lake/sql/sandbox.js';
import { tempDir } from '../../helpers/lake.js';
import { buildLake } from './lake-fixture.js';

let cleanup: () => void;
let sandbox: SqlSandbox;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  sandbox = await SqlSandbox.open(await buildLake(dir));
});

afterAll(() => {
  sandbox?.close();
  cleanup();
});

/** What an engineer may write: the inspection must not get in the way of ordinary DuckDB SQL. */
const ALLOWED = [
  'SELECT * FROM telemetry',
  'FROM events SELECT kind, count(*) GROUP BY ALL',
  'SELECT * FROM "Telemetry" t WHERE t.speed_mps > 5 ORDER BY ts DESC LIMIT 3',
  'WITH telemetry AS (SELECT 1 AS x) SELECT * FROM telemetry',
  'WITH a AS (SELECT * FROM telemetry), b AS (SELECT * FROM a WHERE mode = $$manual$$) SELECT count(*) FROM b',
  'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT sum(n) FROM t',
  'SELECT (SELECT count(*) FROM events) AS e, (SELECT count(*) FROM sources) AS s',
  'SELECT * FROM telemetry WHERE vehicle_id IN (SELECT vehicle_id FROM events)',
  'SELECT t.vehicle_id, e.kind FROM telemetry t ASOF JOIN events e ON t.vehicle_id = e.vehicle_id AND t.ts >= e.ts',
  'SELECT * FROM telemetry POSITIONAL JOIN (SELECT * FROM range(3))',
  'SELECT vehicle_id, avg(speed_mps) OVER w FROM telemetry WINDOW w AS (PARTITION BY vehicle_id ORDER BY ts ROWS 2 PRECEDING)',
  'SELECT * FROM telemetry QUALIFY row_number() OVER (PARTITION BY vehicle_id ORDER BY ts) = 1',
  "PIVOT telemetry ON mode IN ('manual', 'autonomous') USING count(*) GROUP BY company_id",
  'UNPIVOT (SELECT 1 AS a, 2 AS b) ON a, b INTO NAME k VALUE v',
  'SELECT * FROM (VALUES (1, 2), (3, 4)) v(a, b)',
  'SELECT * FROM range(10) r, generate_series(1, 3) g',
  'SELECT unnest([1, 2, 3]) AS x, list_transform([1, 2], y -> y * 2) AS l, range(5) AS r',
  'SELECT * FROM json_each(\'{"a": 1, "b": [2]}\')',
  "SELECT detail->>'$.x' FROM events",
  "SELECT lpad(vehicle_id, 6, '0'), repeat('-', 10), printf('%8.3f', lat), format('{:>6}', vehicle_id) FROM telemetry",
  "SELECT date_trunc('hour', ts), time_bucket(INTERVAL 5 MINUTE, ts), timezone('Asia/Shanghai', ts) FROM telemetry",
  "SELECT COLUMNS('speed.*|accel.*') FROM telemetry",
  'SELECT * EXCLUDE (raw) FROM quarantine',
  'SELECT * FROM telemetry USING SAMPLE 50%',
  'DESCRIBE telemetry',
  'DESCRIBE SELECT vehicle_id FROM telemetry',
  'SHOW events',
  'SUMMARIZE telemetry',
  'SELECT version(), current_date, gen_random_uuid() IS NOT NULL',
  "SELECT json_serialize_sql('SELECT 1') IS NOT NULL",
];

describe('ordinary SQL', () => {
  it('runs every allowed query', async () => {
    const failed: string[] = [];
    for (const sql of ALLOWED) {
      try {
        await sandbox.query(sql);
      } catch (e) {
        failed.push(`${sql} → ${(e as { code?: string }).code ?? ''} ${(e as Error).message}`);
      }
    }
    expect(failed).toEqual([]);
  });
});
