import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { tempDir } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
let app: FastifyInstance;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  app = await buildApp({ dataDir: path.join(dir, 'data') });
});
afterAll(async () => {
  await app?.close();
  cleanup?.();
});

const CSV = [
  'ts,company_id,vehicle_id,lat,lon,speed_mps,mode',
  '2026-09-01T00:00:00Z,acme,U1,22.54,114.05,5,autonomous',
  '2026-09-01T00:00:01Z,acme,U1,22.54005,114.05,5,autonomous',
  '2026-09-01T00:00:02Z,acme,U1,0,0,5,autonomous',
].join('\n');

describe('POST /api/ingest', () => {
  it('streams an upload into the lake and answers with the CLI summary; the data is queryable at once', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/ingest?name=upload.csv',
      payload: CSV,
      headers: { 'content-type': 'text/csv' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json<{
      rows_in: number;
      rows_stored: number;
      rows_quarantined: number;
      files: { file: string; status: string }[];
    }>();
    expect(s).toMatchObject({ rows_in: 3, rows_stored: 2, rows_quarantined: 1 });
    expect(s.files[0]).toMatchObject({ file: 'upload.csv', status: 'ingested' });
    const exposure = (await app.inject('/api/metrics/exposure')).json<{ rows: { km: { autonomous: number } }[] }>();
    // distance is the integral of logged speed: 5 m/s for 1 s
    expect(exposure.rows[0]?.km.autonomous).toBeCloseTo(0.005, 9);
    const sources = (await app.inject('/api/sources')).json<{ sources: { file: string; rows_stored: number }[] }>();
    expect(sources.sources).toEqual([expect.objectContaining({ file: 'upload.csv', rows_stored: 2 })]);
    expect(fs.readdirSync(path.join(dir, 'data', 'staging', 'uploads'))).toEqual([]);
  });

  it('says already ingested for the same bytes', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/ingest?name=again.csv',
      payload: CSV,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(r.json<{ files: { status: string }[] }>().files[0]?.status).toBe('already_ingested');
  });

  it('answers 422 with the reason for a file that is not a log, and stays up', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/ingest?name=photo.jpg',
      payload: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]),
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json<{ files: { error: string }[] }>().files[0]?.error).toMatch(/photo\.jpg \(byte 0\)/u);
    expect((await app.inject('/api/health')).statusCode).toBe(200);
  });

  it('refuses a name that is a path', async () => {
    for (const name of ['../../etc/passwd', '/tmp/x.csv', 'a/b.csv']) {
      const r = await app.inject({
        method: 'POST',
        url: `/api/ingest?name=${encodeURIComponent(name)}`,
        payload: CSV,
        headers: { 'content-type': 'text/csv' },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json<{ error: { parameter: string } }>().error.parameter).toBe('name');
    }
  });
});
