import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { tempDir, writeFixture } from '../helpers/lake.js';
import { treeResidentBytes } from '../helpers/process-tree.js';

/** The queries: nested `repeat` in a lambda escapes DuckDB's memory limit; nested lambdas ignore interrupts. */
const LAMBDA_MEMORY =
  "select sum(len(list_filter(list_transform(range(10000), x -> repeat((x+r)::varchar,1000)), s -> s <> ''))) from range(150) t(r)";
const LAMBDA_SPIN =
  'select sum(len(list_transform(range(3000), x -> list_transform(range(3000), y -> len(list_transform(range(3000), z -> x + y + z))))))';

let cleanup: () => void;
let app: FastifyInstance;
let peak = 0;
let sampler: NodeJS.Timeout;
beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  const dataDir = path.join(dir, 'data');
  const rows = ['ts,company_id,vehicle_id,lat,lon', '2026-09-01T00:00:00Z,acme,A1,22.54,114.05'];
  await ingestPaths([writeFixture(dir, 'a.csv', `${rows.join('\n')}\n`)], { dataDir });
  app = await buildApp({ dataDir, sqlPool: { workers: 2, queue: 1, queueWaitMs: 30_000, workerMemoryMb: 512 } });
  expect((await post('SELECT 1')).statusCode).toBe(200);
  // The server and its workers together: this process and its descendants.
  sampler = setInterval(() => {
    peak = Math.max(peak, treeResidentBytes(process.pid));
  }, 50);
});
afterAll(async () => {
  clearInterval(sampler);
  await app?.close();
  cleanup?.();
});

const post = (sql: string, extra: Record<string, unknown> = {}, accept = 'application/json') =>
  app.inject({ method: 'POST', url: '/api/sql', payload: { sql, ...extra }, headers: { accept } });

describe('SQL in worker processes', () => {
  it('answers the memory and the spinning lambda with a 4xx, then a plain query, under 1.5 GB', async () => {
    const [memory, spin] = await Promise.all([post(LAMBDA_MEMORY), post(LAMBDA_SPIN, { timeout_ms: 1000 })]);
    expect([408, 422], memory.body).toContain(memory.statusCode);
    expect(memory.json<{ error: { code: string } }>().error.code).toMatch(/^(memory|timeout)$/u);
    expect(spin.statusCode, spin.body).toBe(408);
    expect(spin.json<{ error: { message: string } }>().error.message).toMatch(/time limit|limit/u);
    const again = await post(LAMBDA_SPIN, { timeout_ms: 1000 });
    expect(again.statusCode, again.body).toBe(408);
    const plain = await post('SELECT count(*) AS n FROM telemetry');
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json<{ rows: unknown[][] }>().rows).toEqual([[1]]);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(1.5 * 1024 ** 3);
  }, 60_000);

  it('streams a result larger than one batch, in every format, within the row limit', async () => {
    const sql = "SELECT range AS i, repeat('x', 20) AS s FROM range(100000)";
    const lines = await post(sql, { max_rows: 100_000 }, 'application/x-ndjson');
    expect(lines.statusCode, lines.body).toBe(200);
    const rows = lines.body.trim().split('\n');
    expect(rows).toHaveLength(100_000);
    expect(JSON.parse(rows[99_999] ?? '')).toEqual({ i: 99_999, s: 'x'.repeat(20) });
    const csv = await post(sql, { max_rows: 50_000 }, 'text/csv');
    expect(csv.body.trim().split('\r\n')).toHaveLength(50_001);
    expect(csv.headers['x-avlog-truncated']).toBe('true');
  }, 60_000);

  it('refuses past the queue with 429 and retry-after, and answers again after', async () => {
    // Two workers run, one query waits, the fourth is refused.
    const answers = await Promise.all([1, 2, 3, 4].map(() => post(LAMBDA_SPIN, { timeout_ms: 1500 })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([408, 408, 408, 429]);
    const refused = answers.find((r) => r.statusCode === 429);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused?.json<{ error: { code: string } }>().error.code).toBe('busy');
    const plain = await post('SELECT 2 AS two');
    expect(plain.json<{ rows: unknown[][] }>().rows).toEqual([[2]]);
  }, 60_000);
});
