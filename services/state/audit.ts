import type { StateDb, StateRow } from './state-db.js';

/** One API call as the audit log keeps it: who, when, what, with which outcome. Never a credential. */
export interface AuditEntry {
  at: string;
  caller: string;
  role: string;
  company: string | null;
  method: string;
  route: string;
  params: string;
  status: number;
  rows: number | null;
  sql: string | null;
}

export interface AuditQuery {
  /** ISO instant or date: entries at or after it. */
  since?: string | undefined;
  caller?: string | undefined;
  limit?: number | undefined;
}

/** Per UTC day, entries beyond this are counted in `audit_dropped` instead of stored: the log stays bounded. */
export const AUDIT_MAX_PER_DAY = 200_000;
/** Parameters and SQL text are cut to this many characters. */
export const AUDIT_MAX_TEXT = 8_192;

const cut = (s: string | null) => (s === null || s.length <= AUDIT_MAX_TEXT ? s : `${s.slice(0, AUDIT_MAX_TEXT)}…`);

function entryOf(r: StateRow): AuditEntry {
  return {
    at: String(r.at_time),
    caller: String(r.caller),
    role: String(r.role),
    company: r.company == null ? null : String(r.company),
    method: String(r.method),
    route: String(r.route),
    params: String(r.params),
    status: Number(r.status),
    rows: r.rows == null ? null : Number(r.rows),
    sql: r.sql == null ? null : String(r.sql),
  };
}

/** The append-only audit log in the state database (no update or delete is offered). */
export class AuditLog {
  private today = '';
  private countToday = 0;

  constructor(
    private readonly db: StateDb,
    private readonly maxPerDay = AUDIT_MAX_PER_DAY,
  ) {}

  async append(e: Omit<AuditEntry, 'at'>): Promise<void> {
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    if (day !== this.today) {
      const row = (await this.db.all('SELECT count(*) AS n FROM audit WHERE day = $day::DATE', { day }))[0];
      this.today = day;
      this.countToday = Number(row?.n ?? 0);
    }
    if (this.countToday >= this.maxPerDay) {
      await this.db.run(
        `INSERT INTO audit_dropped VALUES ($day::DATE, 1) ON CONFLICT (day) DO UPDATE SET entries = entries + 1`,
        { day },
      );
      return;
    }
    this.countToday++;
    await this.db.run(
      `INSERT INTO audit VALUES ($at::TIMESTAMPTZ, $day::DATE, $caller, $role, $company, $method, $route, $params,
       $status, $rows, $sql)`,
      {
        at: now.toISOString(),
        day,
        caller: e.caller,
        role: e.role,
        company: e.company,
        method: e.method,
        route: e.route,
        params: cut(e.params) ?? '',
        status: e.status,
        rows: e.rows,
        sql: cut(e.sql),
      },
    );
  }

  /** Newest first. */
  async list(q: AuditQuery = {}): Promise<AuditEntry[]> {
    const rows = await this.db.all(
      `SELECT strftime(at_time, '%Y-%m-%dT%H:%M:%S.%gZ') AS at_time, caller, role, company, method, route, params,
       status, rows, sql FROM audit
       WHERE ($since IS NULL OR at_time >= $since::TIMESTAMPTZ) AND ($caller IS NULL OR caller = $caller)
       ORDER BY audit.at_time DESC LIMIT $limit`,
      { since: q.since ?? null, caller: q.caller ?? null, limit: q.limit ?? 1000 },
    );
    return rows.map(entryOf);
  }

  /** Entries not stored because a day's bound was reached, by day. */
  async dropped(): Promise<{ day: string; entries: number }[]> {
    return (await this.db.all('SELECT day::VARCHAR AS day, entries FROM audit_dropped ORDER BY day')).map((r) => ({
      day: String(r.day),
      entries: Number(r.entries),
    }));
  }
}
