import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { tempDir } from '../helpers/lake.js';

let cleanup: () => void;
let app: FastifyInstance;
let uploads: string;
beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  const dataDir = path.join(dir, 'data');
  uploads = path.join(dataDir, 'staging', 'uploads');
  app = await buildApp({
    dataDir,
    uploads: { maxBytes: 1000, idleMs: 300, totalMs: 60_000, concurrent: 1, queue: 0 },
    sqlPool: { workers: 1, spares: 0 },
  });
});
afterAll(async () => {
  await app?.close();
  cleanup?.();
});

const leftovers = (): string[] => (fs.existsSync(uploads) ? fs.readdirSync(uploads) : []);

/** A request body that sends its first bytes and then nothing. */
function stalledBody(): PassThrough {
  const body = new PassThrough();
  body.write('ts,company_id,vehicle_id,lat,lon\n');
  return body;
}

describe('request hygiene', () => {
  it('refuses a body whose content-length is over the limit before reading it (413)', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/ingest?name=big.csv',
      payload: 'x'.repeat(2000),
      headers: { 'content-type': 'text/csv' },
    });
    expect(r.statusCode, r.body).toBe(413);
    expect(r.json<{ error: { message: string } }>().error.message).toMatch(/declares 2000 bytes \(content-length\)/u);
    expect(leftovers()).toEqual([]);
  });

  it('answers a name that is not a plain file name with 400', async () => {
    for (const name of ['..', '.', '.hidden.csv']) {
      const r = await app.inject({ method: 'POST', url: `/api/ingest?name=${name}`, payload: 'a,b\n' });
      expect(r.statusCode, `${name}: ${r.body}`).toBe(400);
      expect(r.json<{ error: { parameter: string } }>().error.parameter).toBe('name');
    }
  });

  it('drops a stalled upload (408), refuses one past the cap (429 + retry-after), and leaves no upload folder', async () => {
    const first = app.inject({
      method: 'POST',
      url: '/api/ingest?name=slow.csv',
      payload: stalledBody(),
      headers: { 'content-type': 'text/csv' },
    });
    const second = app.inject({
      method: 'POST',
      url: '/api/ingest?name=slow2.csv',
      payload: stalledBody(),
      headers: { 'content-type': 'text/csv' },
    });
    const [a, b] = await Promise.all([first, second]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses, `${a.body} ${b.body}`).toEqual([408, 429]);
    const busy = a.statusCode === 429 ? a : b;
    expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(leftovers()).toEqual([]);
  });

  it('neutralises formula cells in SQL CSV output', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/sql',
      payload: { sql: `SELECT '=HYPERLINK("http://x")' AS link, -2 AS n` },
      headers: { accept: 'text/csv' },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.body.split('\r\n')[1]).toBe(`"'=HYPERLINK(""http://x"")",-2`);
  });
});
