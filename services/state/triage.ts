import type { StateDb } from './state-db.js';

export const TRIAGE_STATUSES = ['new', 'confirmed', 'false_positive', 'needs_data', 'closed'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

/** A change to an incident's triage: any of status, owner (empty string clears it) and a note to append. */
export interface TriagePatch {
  status?: TriageStatus;
  owner?: string;
  note?: string;
}

export interface TriageEntry {
  at: string;
  author: string;
  status: TriageStatus | null;
  owner: string | null;
  note: string | null;
}

export interface Triage {
  event_id: string;
  status: TriageStatus;
  owner: string | null;
  updated_at: string | null;
  updated_by: string | null;
  history: TriageEntry[];
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v));
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
const status = (v: unknown): TriageStatus => TRIAGE_STATUSES.find((s) => s === v) ?? 'new';

/** An incident's triage: `new` with no owner and no history until someone changes it. */
export async function triageOf(db: StateDb, eventId: string): Promise<Triage> {
  return db.session(async (s) => {
    const [row] = await s.all('SELECT * FROM triage WHERE event_id = $id', { id: eventId });
    const history = await s.all('SELECT * FROM triage_history WHERE event_id = $id ORDER BY noted_at, rowid', {
      id: eventId,
    });
    return {
      event_id: eventId,
      status: status(row?.status),
      owner: text(row?.owner),
      updated_at: iso(row?.updated_at),
      updated_by: text(row?.updated_by),
      history: history.map((h) => ({
        at: iso(h.noted_at) ?? '',
        author: String(h.author),
        status: h.status === null ? null : status(h.status),
        owner: text(h.owner),
        note: text(h.note),
      })),
    };
  });
}

/** Applies a change in one transaction: the current row is upserted, the change appended to the history. */
export async function updateTriage(db: StateDb, eventId: string, patch: TriagePatch, author: string): Promise<Triage> {
  await db.transaction(async (s) => {
    const [row] = await s.all('SELECT status, owner FROM triage WHERE event_id = $id', { id: eventId });
    const owner = patch.owner === undefined ? text(row?.owner) : patch.owner || null;
    const next = patch.status ?? status(row?.status);
    const at = new Date().toISOString();
    await s.run(
      `INSERT INTO triage VALUES ($id, $status, $owner, $at::TIMESTAMPTZ, $author)
       ON CONFLICT (event_id) DO UPDATE SET status = excluded.status, owner = excluded.owner,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      { id: eventId, status: next, owner, at, author },
    );
    await s.run('INSERT INTO triage_history VALUES ($id, $at::TIMESTAMPTZ, $author, $status, $owner, $note)', {
      id: eventId,
      at,
      author,
      status: patch.status ?? null,
      owner: patch.owner === undefined ? null : owner,
      note: patch.note ?? null,
    });
  });
  return triageOf(db, eventId);
}

/** Event ids whose status is one of `statuses` (`new` is the absence of a row, so it is never listed here). */
export async function eventsWithStatus(db: StateDb, statuses: readonly TriageStatus[]): Promise<string[]> {
  const wanted = statuses.filter((s) => s !== 'new');
  if (!wanted.length) return [];
  const params = Object.fromEntries(wanted.map((s, i) => [`s${i}`, s]));
  const rows = await db.all(
    `SELECT event_id FROM triage WHERE status IN (${wanted.map((_, i) => `$s${i}`).join(', ')}) ORDER BY event_id`,
    params,
  );
  return rows.map((r) => String(r.event_id));
}
