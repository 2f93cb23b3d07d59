import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlSandbox } from '../../../services/lake/sql/sandbox.js';
import { tempDir } from '../../helpers/lake.js';
import { buildLake } from './lake-fixture.js';

let cleanup: () => void;
let data: string;
let sandbox: SqlSandbox;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  data = await buildLake(dir);
  sandbox = await SqlSandbox.open(data, { timeoutMs: 1000, defaultRows: 50, maxRows: 1000, maxSqlChars: 2000 });
});

afterAll(() => {
  sandbox?.close();
  cleanup();
});

describe('limits', () => {
  it('interrupts a runaway query with the timeout code, then keeps answering', async () => {
    await expect(sandbox.query('SELECT count(*) FROM range(1000000) a, range(1000000) b')).rejects.toMatchObject({
      code: 'timeout',
      status: 408,
    });
    await expect(
      sandbox.query('SELECT sum(range) FROM range(1000000000000)', { timeoutMs: 200 }),
    ).rejects.toMatchObject({ code: 'timeout' });
    expect((await sandbox.query('SELECT 1 AS one')).rowCount).toBe(1);
  });

  it('returns the first rows of a result over the row limit, marked truncated, without materialising it', async () => {
    const r = await sandbox.query('SELECT * FROM range(1000000000000)');
    expect(r).toMatchObject({ rowCount: 50, truncated: true });
    const asked = await sandbox.query('SELECT * FROM range(1000000000000)', { maxRows: 3000 });
    expect(asked).toMatchObject({ rowCount: 1000, truncated: true });
    const col = asked.columns[0]?.data;
    expect(col?.kind === 'fixed' ? Array.from(col.values.subarray(995, 1000), Number) : null).toEqual([
      995, 996, 997, 998, 999,
    ]);
  });

  it('does not mark a result truncated when it has exactly the row limit', async () => {
    expect(await sandbox.query('SELECT * FROM range(50)')).toMatchObject({ rowCount: 50, truncated: false });
    expect(await sandbox.query('SELECT * FROM range(2048)', { maxRows: 1000 })).toMatchObject({
      rowCount: 1000,
      truncated: true,
    });
    expect(await sandbox.query('SELECT * FROM range(1000)', { maxRows: 1000 })).toMatchObject({
      rowCount: 1000,
      truncated: false,
    });
  });

  it('refuses a result over the row limit with too_many_rows when asked not to truncate', async () => {
    await expect(sandbox.query('SELECT * FROM range(51)', { truncate: false })).rejects.toMatchObject({
      code: 'too_many_rows',
      status: 413,
    });
  });

  it('refuses SQL text over the length limit', async () => {
    await expect(sandbox.query(`SELECT ${'1 + '.repeat(600)}1`)).rejects.toMatchObject({ code: 'too_long' });
  });

  it('stops a query at the memory limit with the memory code', async () => {
    const small = await SqlSandbox.open(data, { memoryLimit: '64MB', timeoutMs: 60_000 });
    try {
      await expect(
        small.query('SELECT count(*) FROM (SELECT DISTINCT range FROM range(100000000))'),
      ).rejects.toMatchObject({ code: 'memory', status: 422 });
      expect((await small.query('SELECT count(*) FROM telemetry')).rowCount).toBe(1);
    } finally {
      small.close();
    }
  });

  it('refuses size-multiplying functions whose size is not a small constant (DuckDB cannot bound or stop those)', async () => {
    await expect(sandbox.query("SELECT repeat('x', 1000000000)")).rejects.toMatchObject({ code: 'memory' });
    await expect(sandbox.query("SELECT repeat('x', speed_mps::INT) FROM telemetry")).rejects.toMatchObject({
      code: 'memory',
    });
    await expect(sandbox.query('SELECT range(0, 100000000)')).rejects.toMatchObject({ code: 'memory' });
    expect(
      (
        await sandbox.query(
          "SELECT lpad(vehicle_id, 8, '_') AS v, range(3) AS r, printf('%5.1f', speed_mps) AS s FROM telemetry",
        )
      ).rowCount,
    ).toBe(7);
  });

  it('makes a query wait for a free slot, and answers busy when none frees in time', async () => {
    const one = await SqlSandbox.open(data, { maxConcurrent: 1, timeoutMs: 1500 });
    try {
      const long = one.query('SELECT count(*) FROM range(1000000) a, range(1000000) b');
      await expect(one.query('SELECT 1', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'busy', status: 429 });
      const waiting = one.query('SELECT 2 AS two');
      await expect(long).rejects.toMatchObject({ code: 'timeout' });
      expect((await waiting).rowCount).toBe(1);
    } finally {
      one.close();
    }
  });

  it('never names the data directory in an error', async () => {
    for (const sql of [
      'SELECT nope FROM telemetry',
      "SELECT * FROM read_parquet('x')",
      'SELECT CAST(vehicle_id AS INTEGER) FROM telemetry',
    ]) {
      const error = await sandbox.query(sql).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error, sql).not.toBeNull();
      expect(error?.message, sql).not.toContain(data);
    }
  });
});
