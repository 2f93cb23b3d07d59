import { csvRecord } from '../core/csv.js';
import { reportTables, type Cell, type ReportTable } from './tables.js';
import type { ReportModel } from './model.js';

function cellText(v: Cell): string | null {
  if (v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v;
}

/** One table as RFC 4180 CSV: a header of column keys, then the rows (numbers unrounded to 6 decimals). */
export function tableCsv(t: ReportTable): string {
  const lines = [csvRecord(t.columns.map((c) => c.key))];
  for (const r of t.rows) lines.push(csvRecord(t.columns.map((c) => cellText(r[c.key] ?? null))));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Every table of the report in one text: each table as `# table: <id> — <title>` followed by its CSV and a blank
 * line. `table` picks one table as plain CSV instead. Throws RangeError naming the known ids for an unknown one.
 */
export function renderCsv(m: ReportModel, table?: string): string {
  const tables = reportTables(m);
  if (table !== undefined) {
    const t = tables.find((x) => x.id === table);
    if (!t) throw new RangeError(`no table "${table}" (tables: ${tables.map((x) => x.id).join(', ')})`);
    return tableCsv(t);
  }
  return tables.map((t) => `# table: ${t.id} — ${t.title.en} / ${t.title.zh}\r\n${tableCsv(t)}`).join('\r\n');
}

export function tableIds(m: ReportModel): string[] {
  return reportTables(m).map((t) => t.id);
}
