import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlogApp } from '../../services/api/app.js';
import { POLICIES, type PolicyName } from '../../services/api/access/policies.js';
import type { Role } from '../../services/state/tokens.js';
import { accessLake, OTHER, OWN } from './access-fixture.js';

/**
 * Every /api route (taken from the app's own route table, so a new route joins by existing) × every role × own and
 * other company: the status follows the route's policy, and an engineer or public viewer of `OWN` never sees a
 * trace of `OTHER` — its name, ids, file names — in any answer.
 */
let lake: Awaited<ReturnType<typeof accessLake>>;
let app: FastifyInstance;
const routes: RouteOptions[] = [];
const tokens: Record<string, string> = {};
/** Strings that belong to the other company only. */
const markers: string[] = [OTHER];
const eventIds: Record<string, string> = {};

beforeAll(async () => {
  lake = await accessLake();
  app = Fastify({ logger: false });
  app.addHook('onRoute', (r) => void routes.push(r));
  await avlogApp(app, { dataDir: lake.dataDir, auth: { mode: 'tokens' } });
  await app.ready();
  const store = app.access.tokens;
  if (!store) throw new Error('no token store');
  for (const [key, grant] of Object.entries({
    admin: { role: 'admin' },
    regulator: { role: 'regulator' },
    engineer: { role: 'engineer', company: OWN },
    public: { role: 'public', company: OWN },
  } as const))
    tokens[key] = (await store.create(grant)).token;
  const auth = { authorization: `Bearer ${tokens.admin}` };
  const sources = (await app.inject({ url: '/api/sources', headers: auth })).json<{
    sources: { source_id: string; file: string }[];
  }>().sources;
  for (const s of sources) if (s.file.startsWith(OTHER)) markers.push(s.source_id);
  const events = (await app.inject({ url: '/api/incidents', headers: auth })).json<{
    items: { event_id: string; company_id: string }[];
  }>().items;
  for (const e of events) {
    eventIds[e.company_id] = e.event_id;
    if (e.company_id === OTHER) markers.push(e.event_id);
  }
}, 120_000);
afterAll(async () => {
  await app?.close();
  lake?.cleanup();
});

const leaks = (text: string) => markers.filter((m) => text.includes(m));

const ROLES: Role[] = ['admin', 'engineer', 'regulator', 'public'];

/** A request for `route` about `company`, with parameters that make it reach its data. */
function requestFor(route: RouteOptions, method: string, company: string, role: Role) {
  const url =
    route.url
      .replace(':company', company)
      .replace(':period', '2026-09')
      .replace(':id', eventIds[company] ?? 'x')
      .replace(':year', '2026')
      .replace('*', '') + (method === 'GET' ? `?company=${company}` : '');
  if (route.url === '/api/sql/')
    return { method, url, payload: { sql: 'SELECT * FROM sources' }, headers: { 'content-type': 'application/json' } };
  if (route.url === '/api/ingest/') {
    // admin re-sends content already in the lake (nothing written); the others try a new file of `company`
    const rows =
      role === 'admin'
        ? fs.readFileSync(path.join(lake.dir, 'in', `${OWN}.csv`), 'utf8')
        : `ts,company_id,vehicle_id,lat,lon\n2026-09-02T00:00:00Z,${company},${company}-v9,22.5,114.0\n`;
    return {
      method,
      url: `/api/ingest?name=m.csv&company=${company}`,
      payload: rows,
      headers: { 'content-type': 'text/csv' },
    };
  }
  if (route.url === '/api/tokens' && method === 'POST')
    return { method, url, payload: { role: 'public' }, headers: { 'content-type': 'application/json' } };
  return { method, url };
}

describe('the access matrix (every route × role × own/other company)', () => {
  it('every /api route declares a policy, and the matrix covers the data routes', () => {
    const api = routes.filter((r) => r.url.startsWith('/api/'));
    for (const r of api) expect(r.config?.policy, r.url).toBeDefined();
    for (const u of ['/api/sql/', '/api/ingest/', '/api/incidents/:id', '/api/reports/:company/:period', '/api/audit'])
      expect(api.map((r) => r.url)).toContain(u);
  });

  it('answers each role as its policy says and shows an engineer or public viewer nothing of another company', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.url.startsWith('/api/'))) {
      const name = route.config?.policy as PolicyName;
      const policy = POLICIES[name];
      for (const method of [route.method].flat().filter((m) => m !== 'HEAD')) {
        for (const role of ROLES) {
          for (const company of [OWN, OTHER]) {
            const req = requestFor(route, method, company, role);
            const res = await app.inject({
              ...req,
              headers: { ...req.headers, authorization: `Bearer ${tokens[role]}` },
            });
            const where = `${role} ${method} ${req.url} (policy ${name}) → ${res.statusCode}`;
            const allowed = (policy.roles as readonly Role[]).includes(role) || 'anonymous' in policy;
            const writeRefused = role === 'engineer' && route.url === '/api/ingest/' && company === OTHER;
            if (!allowed || writeRefused) {
              if (res.statusCode !== 403) failures.push(`${where}: expected 403 (${res.body.slice(0, 200)})`);
              else if (res.json<{ error: { code: string } }>().error.code !== 'forbidden')
                failures.push(`${where}: body`);
            } else if ([401, 403].includes(res.statusCode) || res.statusCode >= 500)
              failures.push(`${where}: expected access (${res.body.slice(0, 200)})`);
            if (role === 'engineer' || role === 'public') {
              // an error may repeat what the caller itself asked for (the id of a 404, the company refused)
              const asked = `${req.url} ${typeof req.payload === 'string' ? req.payload : ''}`;
              const found = leaks(res.rawPayload.toString('latin1')).filter(
                (m) => res.statusCode < 400 || !asked.includes(m),
              );
              if (found.length) failures.push(`${where}: shows ${found.join(', ')}`);
            }
          }
        }
        const anonymous = await app.inject(requestFor(route, method, OWN, 'public'));
        const expected = 'anonymous' in policy ? 200 : 401;
        if (anonymous.statusCode !== expected)
          failures.push(`no credential ${method} ${route.url} → ${anonymous.statusCode}, expected ${expected}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('an engineer’s SQL as CSV and Arrow, and its report as PDF, hold nothing of another company', async () => {
    const auth = { authorization: `Bearer ${tokens.engineer}` };
    for (const accept of ['text/csv', 'application/vnd.apache.arrow.stream', 'application/json'])
      for (const table of ['telemetry', 'events', 'sources', 'quarantine']) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/sql',
          headers: { ...auth, accept },
          payload: { sql: `SELECT * FROM ${table}` },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(leaks(res.rawPayload.toString('latin1')), `${table} as ${accept}`).toEqual([]);
      }
    const pdf = await app.inject({ url: `/api/reports/${OWN}/2026-09?format=pdf&lang=en`, headers: auth });
    expect(pdf.statusCode).toBe(200);
    const file = path.join(lake.dir, 'own.pdf');
    fs.writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain(OWN);
    expect(leaks(text)).toEqual([]);
  }, 120_000);
});
