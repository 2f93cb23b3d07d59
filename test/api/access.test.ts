import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlogApp, buildApp } from '../../services/api/app.js';
import { serveOptionsOf } from '../../services/cli/commands/serve.js';
import { runCli } from '../helpers/cli.js';
import { accessLake, OTHER, OWN } from './access-fixture.js';

let lake: Awaited<ReturnType<typeof accessLake>>;
let app: FastifyInstance;
const token: Record<string, string> = {};
const bearer = (t: string | undefined) => ({ authorization: `Bearer ${t ?? ''}` });

beforeAll(async () => {
  lake = await accessLake();
  app = Fastify({ logger: false });
  await avlogApp(app, { dataDir: lake.dataDir, auth: { mode: 'tokens' } });
  const store = app.access.tokens;
  if (!store) throw new Error('no token store');
  token.admin = (await store.create({ role: 'admin' })).token;
  token.engineer = (await store.create({ role: 'engineer', company: OWN, name: 'acme ci' })).token;
  token.regulator = (await store.create({ role: 'regulator' })).token;
}, 120_000);
/** The CLI test closes the app first (it holds the state database); closing the lake twice would crash DuckDB. */
let closed = false;
afterAll(async () => {
  if (!closed) await app?.close();
  lake?.cleanup();
});

const companiesOf = async (auth: Record<string, string>) =>
  (await app.inject({ url: '/api/metrics/exposure?group_by=company', headers: auth }))
    .json<{ rows: { group: { company: string } }[] }>()
    .rows.map((r) => r.group.company);

describe('--auth tokens', () => {
  it('no, a malformed, an unknown or a revoked token is a 401 with the error body; headers grant nothing', async () => {
    const store = app.access.tokens;
    if (!store) throw new Error('no token store');
    const expired = await store.create({ role: 'admin', expiresDays: 1 });
    const revoked = await store.create({ role: 'admin' });
    await store.revoke(revoked.info.id);
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /no credential/u],
      [{ 'x-avlog-role': 'admin' }, /no credential/u],
      [{ 'x-avlog-company': '' }, /no credential/u],
      [{ authorization: 'Basic YTpi' }, /Bearer/u],
      [bearer('avlog_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), /not valid/u],
      [bearer(`${token.admin ?? ''}x`), /not an avlog token/u],
      [bearer(revoked.token), /revoked/u],
    ];
    for (const [headers, message] of cases) {
      const r = await app.inject({ url: '/api/sources', headers });
      expect(r.statusCode, JSON.stringify(headers)).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/u);
      expect(r.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code: 'unauthorized',
        message: expect.stringMatching(message),
      });
    }
    expect(expired.info.expires).not.toBeNull();
    expect((await app.inject('/api/health')).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/me', headers: bearer(token.engineer) })).json()).toEqual({
      id: expect.stringMatching(/^token:/u),
      role: 'engineer',
      company: OWN,
      auth: 'tokens',
    });
  });

  it('an engineer sees only its company in metrics, incidents, map and SQL; a regulator and an admin see both', async () => {
    expect(await companiesOf(bearer(token.engineer))).toEqual([OWN]);
    expect(await companiesOf(bearer(token.engineer))).toEqual([OWN]);
    expect((await companiesOf(bearer(token.regulator))).sort()).toEqual([OWN, OTHER]);
    const incidents = (
      await app.inject({ url: `/api/incidents?company=${OTHER}`, headers: bearer(token.engineer) })
    ).json<{ items: unknown[] }>();
    expect(incidents.items).toEqual([]);
    const filters = (await app.inject({ url: '/api/map/filters', headers: bearer(token.engineer) })).body;
    expect(filters).not.toContain(OTHER);
    const sql = await app.inject({
      method: 'POST',
      url: '/api/sql',
      headers: bearer(token.engineer),
      payload: { sql: 'SELECT DISTINCT company_id FROM telemetry' },
    });
    expect(sql.json<{ rows: unknown[][] }>().rows).toEqual([[OWN]]);
  });

  it('an engineer ingesting another company’s rows gets 403 and that company’s data are unchanged; its own rows go in', async () => {
    const count = async () =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/sql',
          headers: bearer(token.admin),
          payload: { sql: `SELECT count(*) AS n FROM telemetry WHERE company_id = '${OTHER}'` },
        })
      ).json<{ rows: number[][] }>().rows[0]?.[0];
    const before = await count();
    const sourcesBefore = (await app.inject({ url: '/api/sources', headers: bearer(token.admin) })).body;
    const upload = (name: string, body: string, who = token.engineer, query = '') =>
      app.inject({
        method: 'POST',
        url: `/api/ingest?name=${name}${query}`,
        headers: { ...bearer(who), 'content-type': 'text/csv' },
        payload: body,
      });
    const header = 'ts,company_id,vehicle_id,lat,lon,speed_mps,mode';
    const mixed = `${header}\n2026-09-03T00:00:00Z,${OWN},${OWN}-v2,22.5,114.0,1,manual\n2026-09-03T00:00:00Z,${OTHER},${OTHER}-v99,22.5,114.0,1,manual\n`;
    const refused = await upload('mixed.csv', mixed);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/holds rows of "beta".*nothing/u);
    const byQuery = await upload(
      'q.csv',
      'ts,vehicle_id,lat,lon\n2026-09-03T00:00:00Z,v,22.5,114.0\n',
      token.engineer,
      `&company=${OTHER}`,
    );
    expect(byQuery.statusCode).toBe(403);
    expect(byQuery.json<{ error: { parameter: string } }>().error.parameter).toBe('company');
    expect((await upload('r.csv', mixed, token.regulator)).statusCode).toBe(403);
    expect(await count()).toBe(before);
    expect((await app.inject({ url: '/api/sources', headers: bearer(token.admin) })).body).toBe(sourcesBefore);
    const own = await upload('own.csv', `${header}\n2026-09-03T00:00:00Z,${OWN},${OWN}-v2,22.5,114.0,1,manual\n`);
    expect(own.statusCode, own.body).toBe(200);
  });

  it('tokens are managed over the API by an admin only, and the audit log holds the engineer’s SQL, never a token', async () => {
    expect((await app.inject({ url: '/api/tokens', headers: bearer(token.engineer) })).statusCode).toBe(403);
    const created = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(token.admin),
      payload: { role: 'engineer', company: OWN, expires_days: 7 },
    });
    expect(created.statusCode).toBe(201);
    const made = created.json<{ token: string; id: string; expires: string }>();
    expect((await app.inject({ url: '/api/me', headers: bearer(made.token) })).statusCode).toBe(200);
    const listed = (await app.inject({ url: '/api/tokens', headers: bearer(token.admin) })).body;
    expect(listed).toContain(made.id);
    expect(listed).not.toContain(made.token.slice(-20));
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/tokens/${made.id}`, headers: bearer(token.admin) })).statusCode,
    ).toBe(200);
    expect((await app.inject({ url: '/api/me', headers: bearer(made.token) })).statusCode).toBe(401);

    const sql = 'SELECT vehicle_id, count(*) FROM telemetry GROUP BY 1';
    await app.inject({ method: 'POST', url: '/api/sql', headers: bearer(token.engineer), payload: { sql } });
    await app.inject({ url: '/api/sources', headers: bearer(token.regulator) });
    const audit = (await app.inject({ url: '/api/audit', headers: bearer(token.admin) })).json<{
      entries: {
        caller: string;
        role: string;
        company: string | null;
        route: string;
        sql: string | null;
        rows: number | null;
        status: number;
      }[];
    }>().entries;
    expect(audit).toContainEqual(
      expect.objectContaining({ role: 'engineer', company: OWN, route: '/api/sql', sql, status: 200, rows: 2 }),
    );
    const text = JSON.stringify(audit);
    for (const t of Object.values(token)) expect(text).not.toContain(t.slice(-20));
    const mine = (await app.inject({ url: '/api/audit', headers: bearer(token.regulator) })).json<{
      entries: { role: string }[];
    }>().entries;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.role === 'regulator')).toBe(true);
    expect((await app.inject({ url: '/api/audit', headers: bearer(token.engineer) })).statusCode).toBe(403);
  });
});

describe('avlog token and avlog audit', () => {
  it('creates a token, printed once (--json), and lists the audit log with the engineer’s SQL text', async () => {
    await app.close();
    closed = true;
    const created = await runCli([
      'token',
      'create',
      '--role',
      'engineer',
      '--company',
      OWN,
      '--expires',
      '3',
      '--json',
      '--data',
      lake.dataDir,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const t = JSON.parse(created.stdout) as {
      token: string;
      id: string;
      role: string;
      company: string;
      expires: string;
    };
    expect(t).toMatchObject({ role: 'engineer', company: OWN, token: expect.stringMatching(/^avlog_/u) });
    const audit = await runCli(['audit', '--json', '--data', lake.dataDir, '--since', '2000-01-01']);
    expect(audit.code, audit.stderr).toBe(0);
    const entries = JSON.parse(audit.stdout) as { sql: string | null; role: string }[];
    expect(entries.some((e) => e.role === 'engineer' && e.sql?.includes('GROUP BY 1'))).toBe(true);
  }, 60_000);
});

describe('rate limits', () => {
  it('limits SQL per credential with a 429, retry-after and the error body; another credential is not affected', async () => {
    const limited = await buildApp({
      dataDir: lake.dataDir,
      auth: { mode: 'proxy', trustedProxies: ['127.0.0.1'] },
      rateLimits: { sql: 2 },
    });
    try {
      const sql = (who: string) =>
        limited.inject({
          method: 'POST',
          url: '/api/sql',
          headers: { 'x-avlog-company': OWN, 'x-avlog-user': who },
          payload: { sql: 'SELECT 1 AS one' },
        });
      expect((await sql('ann')).statusCode).toBe(200);
      expect((await sql('ann')).statusCode).toBe(200);
      const third = await sql('ann');
      expect(third.statusCode).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect(third.json<{ error: { code: string } }>().error.code).toBe('too_many_requests');
      expect((await sql('bob')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('--auth none and --auth proxy', () => {
  it('none is refused on a non-loopback address with a message saying what to do; loopback is fine', () => {
    const base = { data: lake.dataDir };
    expect(() => serveOptionsOf({ ...base, host: '0.0.0.0' })).toThrow(
      /refusing to listen on 0\.0\.0\.0 without authentication/u,
    );
    expect(serveOptionsOf({ ...base, host: '127.0.0.1' }).auth).toEqual({ mode: 'none' });
    expect(serveOptionsOf({ ...base, host: '0.0.0.0', auth: 'tokens' }).auth).toEqual({ mode: 'tokens' });
    expect(() => serveOptionsOf({ ...base, auth: 'proxy' })).toThrow(/--trusted-proxy/u);
  });

  it('proxy believes headers only from the trusted address, fail-closed', async () => {
    const untrusted = await buildApp({ dataDir: lake.dataDir, auth: { mode: 'proxy', trustedProxies: ['10.0.0.1'] } });
    try {
      const r = await untrusted.inject({ url: '/api/sources', headers: { 'x-avlog-role': 'admin' } });
      expect(r.statusCode).toBe(401);
      expect(r.json<{ error: { message: string } }>().error.message).toMatch(/trusted proxy/u);
    } finally {
      await untrusted.close();
    }
    const proxied = await buildApp({ dataDir: lake.dataDir, auth: { mode: 'proxy', trustedProxies: ['127.0.0.1'] } });
    try {
      for (const headers of [
        {},
        { 'x-avlog-company': '' },
        { 'x-avlog-role': '' },
        { 'x-avlog-role': 'root' },
        { 'x-avlog-company': 'a b' },
        { 'x-avlog-role': 'engineer' },
      ]) {
        const r = await proxied.inject({ url: '/api/sources', headers });
        expect(r.statusCode, JSON.stringify(headers)).toBe(401);
      }
      expect((await proxied.inject({ url: '/api/sources', headers: { 'x-avlog-company': OWN } })).body).not.toContain(
        OTHER,
      );
    } finally {
      await proxied.close();
    }
  });
});

describe('--auth oidc', () => {
  it('verifies JWTs against the issuer’s JWKS and takes role and company from the configured claims', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const jwks = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    const issuer = 'https://idp.example';
    const oidc = await buildApp({
      dataDir: lake.dataDir,
      auth: { mode: 'oidc', issuer, audience: 'avlog', jwksUrl: jwks, roleClaim: 'groups_role', companyClaim: 'org' },
    });
    const sign = (claims: Record<string, unknown>, aud = 'avlog', exp = '5m') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience(aud)
        .setSubject('alice')
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(privateKey);
    try {
      const me = await oidc.inject({
        url: '/api/me',
        headers: bearer(await sign({ groups_role: 'engineer', org: OWN })),
      });
      expect(me.json()).toEqual({ id: 'oidc:alice', role: 'engineer', company: OWN, auth: 'oidc' });
      const scoped = await oidc.inject({
        url: '/api/sources',
        headers: bearer(await sign({ groups_role: 'engineer', org: OWN })),
      });
      expect(scoped.statusCode).toBe(200);
      expect(scoped.body).not.toContain(OTHER);
      for (const jwt of [
        await sign({ groups_role: 'engineer', org: OWN }, 'other-app'),
        await sign({ groups_role: 'admin' }, 'avlog', '-1m'),
        await sign({ org: OWN }),
      ]) {
        expect((await oidc.inject({ url: '/api/sources', headers: bearer(jwt) })).statusCode).toBe(401);
      }
    } finally {
      await oidc.close();
      server.close();
    }
  });
});
