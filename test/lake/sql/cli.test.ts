import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSqlCommand } from '../../../services/lake/sql/cli.js';
import { tempDir } from '../../helpers/lake.js';
import { buildLake } from './lake-fixture.js';

let cleanup: () => void;
let data: string;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  data = await buildLake(dir);
});

afterAll(() => cleanup());

describe('avlog sql', () => {
  it('prints JSON', async () => {
    const out = await runSqlCommand(
      data,
      'SELECT vehicle_id, count(*) AS n FROM telemetry GROUP BY ALL ORDER BY ALL',
      'json',
    );
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(out.stdout)).toMatchObject({
      rows: [
        ['B1', 2],
        ['V1', 3],
        ['V2', 2],
      ],
      row_count: 3,
      truncated: false,
    });
  });

  it('prints CSV', async () => {
    const out = await runSqlCommand(
      data,
      "SELECT file, status FROM sources WHERE file LIKE '%.csv' ORDER BY file",
      'csv',
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('file,status\r\nacme.csv,ingested\r\ndrive.events.csv,ingested\r\nfleet.csv,ingested\r\n');
  });

  it('says on stderr when the result was cut off', async () => {
    const out = await runSqlCommand(data, 'SELECT * FROM range(100)', 'csv', { maxRows: 10 });
    expect(out.code).toBe(0);
    expect(out.stdout.split('\r\n')).toHaveLength(12);
    expect(out.stderr).toMatch(/first 10 rows/u);
  });

  it('exits 1 with the rejection code on stderr', async () => {
    const out = await runSqlCommand(data, "SELECT * FROM read_csv('/etc/passwd')", 'json');
    expect(out).toMatchObject({ code: 1, stdout: '' });
    expect(out.stderr).toMatch(/^avlog sql: file_access: /u);
  });
});
