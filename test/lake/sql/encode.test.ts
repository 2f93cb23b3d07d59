import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode, encodeAs, encodeRejection, negotiateFormat } from '../../../services/lake/sql/encode.js';
import { SqlRejected } from '../../../services/lake/sql/errors.js';
import type { SqlResult } from '../../../services/lake/sql/result.js';
import { SqlSandbox } from '../../../services/lake/sql/sandbox.js';
import { tempDir } from '../../helpers/lake.js';

let cleanup: () => void;
let sandbox: SqlSandbox;
let typed: SqlResult;

const TYPED_SQL = `SELECT 1::TINYINT AS i8, 2::BIGINT AS i64, 9007199254740993::BIGINT AS big, 1.5::DOUBLE AS d, 'nan'::DOUBLE AS nan,
  NULL::INTEGER AS n, true AS b, DATE '2026-09-01' AS dt, TIMESTAMPTZ '2026-09-01 00:00:00.123456+00' AS tz,
  TIMESTAMPTZ '2026-09-01 08:00:00+08' AS tz0, TIMESTAMP '2026-09-01 01:02:03' AS ts, 123.45::DECIMAL(10,2) AS dc,
  sum(x) AS hs, [1, 2] AS l, {'k': 1} AS s, 'he said "hi", ok' AS q, '' AS e, NULL::VARCHAR AS nv
  FROM (SELECT 10::BIGINT AS x)`;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  sandbox = await SqlSandbox.open(dir);
  typed = await sandbox.query(TYPED_SQL);
});

afterAll(() => {
  sandbox?.close();
  cleanup();
});

describe('JSON', () => {
  it('has columns with DuckDB types, rows as arrays, row count, truncation and time', () => {
    const out = encodeAs(typed, 'json');
    expect(out.contentType).toMatch(/^application\/json/u);
    const body = JSON.parse(Buffer.from(out.body).toString('utf8'));
    expect(body.columns.slice(0, 4)).toEqual([
      { name: 'i8', type: 'TINYINT' },
      { name: 'i64', type: 'BIGINT' },
      { name: 'big', type: 'BIGINT' },
      { name: 'd', type: 'DOUBLE' },
    ]);
    expect(body).toMatchObject({ row_count: 1, truncated: false, elapsed_ms: expect.any(Number) });
    expect(body.rows).toEqual([
      [
        1,
        2,
        '9007199254740993',
        1.5,
        'NaN',
        null,
        true,
        '2026-09-01',
        '2026-09-01T00:00:00.123456Z',
        '2026-09-01T00:00:00.000Z',
        '2026-09-01T01:02:03.000',
        123.45,
        10,
        [1, 2],
        { k: 1 },
        'he said "hi", ok',
        '',
        null,
      ],
    ]);
  });

  it('carries many rows and the truncation flag', async () => {
    const r = await sandbox.query('SELECT range AS i, range::VARCHAR AS s FROM range(10000)', { maxRows: 9000 });
    const body = JSON.parse(Buffer.from(encodeAs(r, 'json').body).toString('utf8'));
    expect(body.row_count).toBe(9000);
    expect(body.rows).toHaveLength(9000);
    expect(body.rows[8999]).toEqual([8999, '8999']);
    expect(body.truncated).toBe(true);
  });
});

describe('CSV', () => {
  it('is RFC 4180: header, CRLF, quoting only where needed, NULL empty and empty string quoted', () => {
    const text = Buffer.from(encodeAs(typed, 'csv').body).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('i8,i64,big,d,nan,n,b,dt,tz,tz0,ts,dc,hs,l,s,q,e,nv');
    expect(lines[1]).toBe(
      '1,2,9007199254740993,1.5,NaN,,true,2026-09-01,2026-09-01T00:00:00.123456Z,2026-09-01T00:00:00.000Z,2026-09-01T01:02:03.000,123.45,10,"[1,2]","{""k"":1}","he said ""hi"", ok","",',
    );
    expect(lines[2]).toBe('');
    expect(lines).toHaveLength(3);
  });
});

describe('Arrow IPC', () => {
  it('round-trips types, values and nulls', () => {
    const table = arrow.tableFromIPC(encodeAs(typed, 'arrow').body);
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toMatchObject({
      i8: 'Int8',
      i64: 'Int64',
      d: 'Float64',
      b: 'Bool',
      dt: 'Date32<DAY>',
      tz: 'Timestamp<MICROSECOND, UTC>',
      ts: 'Timestamp<MICROSECOND>',
      dc: 'Float64',
      hs: 'Float64',
      q: 'Utf8',
    });
    const row = table.get(0)?.toJSON() as Record<string, unknown>;
    expect(row).toMatchObject({
      i8: 1,
      i64: 2n,
      big: 9007199254740993n,
      d: 1.5,
      n: null,
      b: true,
      dc: 123.45,
      hs: 10,
      l: '[1,2]',
      q: 'he said "hi", ok',
      e: '',
      nv: null,
    });
    expect(Number.isNaN(row.nan)).toBe(true);
    expect(table.getChild('tz')?.data[0]?.values[0]).toBe(1788220800123456n);
    expect(table.schema.metadata.get('avlog.row_count')).toBe('1');
    expect(table.schema.fields.find((f) => f.name === 'tz')?.metadata.get('duckdb.type')).toBe(
      'TIMESTAMP WITH TIME ZONE',
    );
  });

  it('keeps nulls across chunks and sends repeated strings as a dictionary', async () => {
    const r = await sandbox.query(
      `SELECT CASE WHEN range % 3 = 0 THEN NULL ELSE 'c' || (range % 5) END AS s,
              CASE WHEN range % 7 = 0 THEN NULL ELSE range END AS i,
              CASE WHEN range % 11 = 0 THEN NULL ELSE range * 0.5 END AS f,
              range % 2 = 0 AS even, 'u' || range AS uniq
       FROM range(5000)`,
      { maxRows: 4500 },
    );
    const table = arrow.tableFromIPC(encodeAs(r, 'arrow').body);
    expect(table.numRows).toBe(4500);
    expect(String(table.schema.fields[0]?.type)).toBe('Dictionary<Int32, Utf8>');
    expect(String(table.schema.fields[4]?.type)).toBe('Utf8');
    expect(table.schema.metadata.get('avlog.truncated')).toBe('true');
    const bad: number[] = [];
    for (let i = 0; i < 4500; i++) {
      const ok =
        table.getChild('s')?.get(i) === (i % 3 === 0 ? null : `c${i % 5}`) &&
        table.getChild('i')?.get(i) === (i % 7 === 0 ? null : BigInt(i)) &&
        table.getChild('f')?.get(i) === (i % 11 === 0 ? null : i * 0.5) &&
        table.getChild('even')?.get(i) === (i % 2 === 0) &&
        table.getChild('uniq')?.get(i) === `u${i}`;
      if (!ok) bad.push(i);
    }
    expect(bad).toEqual([]);
  });

  it('encodes an empty result as a schema with no rows', async () => {
    const r = await sandbox.query('SELECT * FROM telemetry');
    const table = arrow.tableFromIPC(encodeAs(r, 'arrow').body);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toContain('speed_mps');
  });
});

describe('content negotiation', () => {
  it('picks the format the Accept header asks for', () => {
    expect(negotiateFormat(undefined)).toBe('json');
    expect(negotiateFormat('')).toBe('json');
    expect(negotiateFormat('*/*')).toBe('json');
    expect(negotiateFormat('application/json')).toBe('json');
    expect(negotiateFormat('text/csv')).toBe('csv');
    expect(negotiateFormat('text/*')).toBe('csv');
    expect(negotiateFormat('application/vnd.apache.arrow.stream')).toBe('arrow');
    expect(negotiateFormat('text/csv, application/json')).toBe('csv');
    expect(negotiateFormat('application/json;q=0.5, text/csv;q=0.9')).toBe('csv');
    expect(negotiateFormat('application/vnd.apache.arrow.stream, */*;q=0.1')).toBe('arrow');
    expect(negotiateFormat('text/html')).toBeNull();
    expect(negotiateFormat('application/json;q=0')).toBeNull();
  });

  it('encodes by Accept, refuses an unacceptable one with 406, and encodes rejections as JSON 4xx', () => {
    expect(encode(typed, 'text/csv').contentType).toMatch(/^text\/csv/u);
    expect(encode(typed, 'application/vnd.apache.arrow.stream').contentType).toBe(
      'application/vnd.apache.arrow.stream',
    );
    expect(() => encode(typed, 'image/png')).toThrow(expect.objectContaining({ code: 'not_acceptable', status: 406 }));
    const rejected = encodeRejection(new SqlRejected('file_access', 'no files'));
    expect(rejected.status).toBe(403);
    expect(JSON.parse(Buffer.from(rejected.body).toString())).toEqual({
      error: { code: 'file_access', message: 'no files' },
    });
  });
});
