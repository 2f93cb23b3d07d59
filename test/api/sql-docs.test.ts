import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { tempDir, writeFixture } from '../helpers/lake.js';

const DOC = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/sql.md'), 'utf8');

/** The columns docs/sql.md lists under each `### \`view\`` heading. */
function documented(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let view = '';
  for (const line of DOC.split('\n')) {
    const h = /^### `(\w+)`/u.exec(line);
    if (h?.[1]) out.set((view = h[1]), []);
    const c = /^\| `(\w+)` \|/u.exec(line);
    if (c?.[1] && view) out.get(view)?.push(c[1]);
  }
  return out;
}

let app: FastifyInstance;
let cleanup: () => void;
beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  const dataDir = path.join(t.dir, 'data');
  const csv = 'ts,company_id,vehicle_id,lat,lon\n2026-09-01T00:00:00Z,acme,A1,22.54,114.05\n';
  await ingestPaths([writeFixture(t.dir, 'a.csv', csv)], { dataDir });
  app = await buildApp({ dataDir });
});
afterAll(async () => {
  await app?.close();
  cleanup?.();
});

const post = (payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/api/sql', payload, headers: { accept: 'application/json' } });

describe('docs/sql.md', () => {
  it('lists exactly the columns of every view the SQL sandbox offers', async () => {
    const docs = documented();
    expect([...docs.keys()]).toEqual(['telemetry', 'events', 'quarantine', 'sources']);
    for (const [view, columns] of docs) {
      const r = await post({ sql: `SELECT * FROM ${view} LIMIT 0` });
      expect(r.statusCode, r.body).toBe(200);
      const names = r.json<{ columns: { name: string }[] }>().columns.map((c) => c.name);
      expect(names, view).toEqual(columns);
    }
  });

  it('has an example in Swagger that runs', async () => {
    const doc = (await app.inject('/docs/json')).json<{
      paths: Record<
        string,
        { post?: { requestBody?: { content: Record<string, { example?: { sql: string; max_rows?: number } }> } } }
      >;
    }>();
    const example = doc.paths['/api/sql/']?.post?.requestBody?.content['application/json']?.example;
    expect(example).toMatchObject({ sql: expect.stringContaining('FROM events') });
    const r = await post({ ...example });
    expect(r.statusCode, r.body).toBe(200);
  });
});
