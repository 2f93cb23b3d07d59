import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { TriageStatusSchema } from '../../services/api/schemas/incidents.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { TRIAGE_STATUSES } from '../../services/state/triage.js';
import { ADMIN, PROXY_AUTH } from '../helpers/auth.js';
import { tempDir, writeFixture } from '../helpers/lake.js';

interface Triage {
  status: string;
  owner: string | null;
  history: { author: string; status: string | null; note: string | null; at: string }[];
}

let dataDir: string;
let cleanup: () => void;
let app: FastifyInstance;
let ids: string[];
beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  dataDir = path.join(t.dir, 'data');
  const events = [
    'ts,company_id,vehicle_id,kind,lat,lon',
    '2026-09-01T01:00:00Z,acme,A1,collision,22.54,114.05',
    '2026-09-01T02:00:00Z,acme,A1,collision,22.55,114.05',
    '2026-09-01T03:00:00Z,beta,B1,collision,22.56,114.05',
  ];
  await ingestPaths([writeFixture(t.dir, 'events.csv', `${events.join('\n')}\n`)], { dataDir });
  app = await buildApp({ dataDir, auth: PROXY_AUTH });
  const r = await app.inject({ url: '/api/incidents?sort=ts', headers: ADMIN });
  ids = r.json<{ items: { event_id: string }[] }>().items.map((i) => i.event_id);
});
afterAll(async () => {
  await app?.close();
  cleanup?.();
});

const engineer = (user: string) => ({ 'x-avlog-role': 'engineer', 'x-avlog-company': 'acme', 'x-avlog-user': user });
const patch = (id: string, payload: object, headers: Record<string, string> = ADMIN) =>
  app.inject({ method: 'PATCH', url: `/api/incidents/${id}`, payload, headers });
const search = async (q: string) =>
  (await app.inject({ url: `/api/incidents?sort=ts&${q}`, headers: ADMIN })).json<{
    items: { event_id: string }[];
    total: number;
  }>();

describe('incident triage', () => {
  it('declares the same statuses in the schema and the state module', () => {
    expect(TriageStatusSchema.anyOf.map((s) => s.const)).toEqual([...TRIAGE_STATUSES]);
  });

  it('sets status and owner, appends notes with author and time, and keeps history across a restart', async () => {
    expect(ids).toHaveLength(3);
    const [a, b] = ids as [string, string];
    const first = await patch(a, { status: 'confirmed', owner: 'li.wei', note: 'seen on camera' }, engineer('li.wei'));
    expect(first.statusCode, first.body).toBe(200);
    const second = await patch(a, { note: 'bumper scuff only' }, engineer('zhang.min'));
    expect(second.json<Triage>()).toMatchObject({ status: 'confirmed', owner: 'li.wei' });
    expect((await patch(b, { status: 'false_positive' })).statusCode).toBe(200);
    await app.close();
    app = await buildApp({ dataDir, auth: PROXY_AUTH });
    const t = (await app.inject({ url: `/api/incidents/${a}/triage`, headers: ADMIN })).json<Triage>();
    expect(t.status).toBe('confirmed');
    expect(t.history.map((h) => [h.author, h.status, h.note])).toEqual([
      ['proxy:li.wei (engineer@acme)', 'confirmed', 'seen on camera'],
      ['proxy:zhang.min (engineer@acme)', null, 'bumper scuff only'],
    ]);
    expect(t.history.every((h) => Number.isFinite(Date.parse(h.at)))).toBe(true);
  });

  it('filters the search by triage status, `new` meaning never triaged', async () => {
    const [a, b, c] = ids as [string, string, string];
    expect((await search('triage_status=confirmed')).items.map((i) => i.event_id)).toEqual([a]);
    expect((await search('triage_status=false_positive,confirmed')).total).toBe(2);
    expect((await search('triage_status=new')).items.map((i) => i.event_id)).toEqual([c]);
    expect((await search('triage_status=new,false_positive')).items.map((i) => i.event_id)).toEqual([b, c]);
    expect((await search('triage_status=closed')).items).toEqual([]);
  });

  it('refuses a bad status, an unknown incident, and one of another company', async () => {
    const [a, , c] = ids as [string, string, string];
    const bad = await patch(a, { status: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('status');
    expect((await patch('0123456789abcdef', { status: 'closed' })).statusCode).toBe(404);
    expect((await patch(c, { status: 'closed' }, engineer('li.wei'))).statusCode).toBe(404);
    const regulator = { 'x-avlog-role': 'regulator' };
    expect((await patch(a, { status: 'closed' }, regulator)).statusCode).toBe(403);
    expect((await app.inject({ url: `/api/incidents/${c}/triage`, headers: ADMIN })).json<Triage>().status).toBe('new');
  });
});
