import type { ReportList } from '../../../services/api/routes/reports.js';
import { apiFetch } from '../session/session.js';

export type ReportRow = ReportList['reports'][number];
export type PeriodKind = ReportRow['kind'];

/** `GET /api/reports`: every company × period the caller may see, newest first. */
export async function fetchReportList(signal?: AbortSignal): Promise<ReportRow[]> {
  const r = await apiFetch('/api/reports', { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  if (!r.ok) throw new Error(`GET /api/reports: ${r.status} ${await r.text()}`);
  return ((await r.json()) as ReportList).reports;
}

/** The rows of one kind as a table: periods (newest first) × companies (`all` first), each cell the row or none. */
export function matrix(
  rows: readonly ReportRow[],
  kind: PeriodKind,
): { periods: string[]; companies: string[]; cell: (period: string, company: string) => ReportRow | undefined } {
  const of = rows.filter((r) => r.kind === kind);
  const periods = [...new Set(of.map((r) => r.period))];
  const companies = [...new Set(of.map((r) => r.company))].sort((a, b) =>
    a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b),
  );
  const byKey = new Map(of.map((r) => [`${r.period}\u0000${r.company}`, r]));
  return { periods, companies, cell: (period, company) => byKey.get(`${period}\u0000${company}`) };
}
