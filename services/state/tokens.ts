import crypto from 'node:crypto';
import { StateError } from './errors.js';
import type { StateDb, StateRow } from './state-db.js';

export const ROLES = ['admin', 'engineer', 'regulator', 'public'] as const;
export type Role = (typeof ROLES)[number];

/** What a token grants; never its secret. */
export interface TokenInfo {
  id: string;
  name: string | null;
  role: Role;
  company: string | null;
  created: string;
  expires: string | null;
  revoked: string | null;
}

export interface NewToken {
  role: Role;
  company?: string | undefined;
  name?: string | undefined;
  /** Days from now; none: never expires. */
  expiresDays?: number | undefined;
}

/** Why a presented token grants nothing (each is a 401). */
export type TokenRefusal = 'malformed' | 'unknown' | 'expired' | 'revoked';

const PREFIX = 'avlog_';
const TOKEN = /^avlog_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/u;

/** SHA-256 of salt and secret: the secret is 256 random bits, so a slow hash would add nothing but latency. */
const hashOf = (salt: string, secret: string) =>
  crypto.createHash('sha256').update(salt).update('\u0000').update(secret).digest('hex');

const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : v == null ? null : String(v));

function infoOf(r: StateRow): TokenInfo {
  return {
    id: String(r.id),
    name: r.name == null ? null : String(r.name),
    role: String(r.role) as Role,
    company: r.company == null ? null : String(r.company),
    created: iso(r.created_at) ?? '',
    expires: iso(r.expires_at),
    revoked: iso(r.revoked_at),
  };
}

const at = (c: string) => `strftime(${c}, '%Y-%m-%dT%H:%M:%SZ') AS ${c}`;
const SELECT = `SELECT id, name, role, company, salt, hash, ${at('created_at')}, ${at('expires_at')},
  ${at('revoked_at')}, expires_at <= now() AS expired FROM tokens`;

/**
 * Bearer tokens `avlog_<id>_<secret>`: the id finds the row, the secret is checked against its salted hash. The
 * token itself is returned once by `create` and stored nowhere.
 */
export class TokenStore {
  constructor(private readonly db: StateDb) {}

  async create(t: NewToken): Promise<{ token: string; info: TokenInfo }> {
    if (t.role === 'engineer' && !t.company) throw new StateError('an engineer token needs a company (--company ID)');
    if ((t.role === 'admin' || t.role === 'regulator') && t.company)
      throw new StateError(`a ${t.role} token sees every company: give no --company`);
    const id = crypto.randomBytes(6).toString('hex');
    const secret = crypto.randomBytes(32).toString('base64url');
    const salt = crypto.randomBytes(16).toString('hex');
    await this.db.run(
      `INSERT INTO tokens (id, name, role, company, salt, hash, expires_at) VALUES ($id, $name, $role, $company,
       $salt, $hash, CASE WHEN $days IS NULL THEN NULL ELSE now() + to_days($days::INTEGER) END)`,
      {
        id,
        name: t.name ?? null,
        role: t.role,
        company: t.company ?? null,
        salt,
        hash: hashOf(salt, secret),
        days: t.expiresDays ?? null,
      },
    );
    const info = await this.get(id);
    if (!info) throw new StateError(`token ${id} was not stored`);
    return { token: `${PREFIX}${id}_${secret}`, info };
  }

  async get(id: string): Promise<TokenInfo | undefined> {
    const row = (await this.db.all(`${SELECT} WHERE id = $id`, { id }))[0];
    return row ? infoOf(row) : undefined;
  }

  async list(): Promise<TokenInfo[]> {
    return (await this.db.all(`${SELECT} ORDER BY created_at, id`)).map(infoOf);
  }

  /** Marks the token revoked (kept for the audit trail); false when no token has that id. */
  async revoke(id: string): Promise<boolean> {
    const found = await this.get(id);
    if (!found) return false;
    await this.db.run('UPDATE tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $id', { id });
    return true;
  }

  /** The token's grant, or why it grants nothing. */
  async verify(token: string): Promise<TokenInfo | TokenRefusal> {
    const m = TOKEN.exec(token);
    if (!m) return 'malformed';
    const [, id = '', secret = ''] = m;
    const row = (await this.db.all(`${SELECT} WHERE id = $id`, { id }))[0];
    if (!row) return 'unknown';
    const expected = Buffer.from(String(row.hash), 'hex');
    const given = Buffer.from(hashOf(String(row.salt), secret), 'hex');
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return 'unknown';
    if (row.revoked_at != null) return 'revoked';
    if (row.expired === true) return 'expired';
    return infoOf(row);
  }
}
