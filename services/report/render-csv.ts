import { csvRecord } from '../core/csv.js';
import { reportTables, type Cell, type Column, type ReportTable } from './tables.js';
import type { ReportModel } from './model.js';

function cellText(v: Cell): string | null {
  if (v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v;
}

/** Decimals the printed report shows for a column's kind (`render-html.ts` cellHtml); null: as stored. */
function shownDigits(c: Column, v: number): number | null {
  switch (c.kind) {
    case 'int':
      return 0;
    case 'km':
    case 'h':
    case 'pct':
    case 'delta':
      return 1;
    case 'rate':
      return 2;
    case 'num':
      return Number.isInteger(v) ? 0 : Math.abs(v) >= 100 ? 1 : 3;
    default:
      return null;
  }
}

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark, so that Excel in a Chinese locale reads UTF-8 (not GBK). */
  bom?: boolean;
  /** Round numbers to the precision the printed report shows. */
  rounded?: boolean;
  /** A second header row naming each column in Chinese and English (`里程 km / km`). */
  bilingual?: boolean;
}

/**
 * One table as RFC 4180 CSV: a header of column keys, then the rows. By default numbers are unrounded (6 decimals)
 * and there is no BOM (for scripts); `spreadsheetCsv` is the form for people.
 */
export function tableCsv(t: ReportTable, o: CsvOptions = {}): string {
  const lines = [csvRecord(t.columns.map((c) => c.key))];
  if (o.bilingual) lines.push(csvRecord(t.columns.map((c) => `${c.label.zh} / ${c.label.en}`)));
  for (const r of t.rows)
    lines.push(
      csvRecord(
        t.columns.map((c) => {
          const v = r[c.key] ?? null;
          const digits = o.rounded && typeof v === 'number' && Number.isFinite(v) ? shownDigits(c, v) : null;
          return digits === null ? cellText(v) : (v as number).toFixed(digits);
        }),
      ),
    );
  return `${o.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}

/** A table for a spreadsheet: UTF-8 with BOM, rounded as printed, optionally a bilingual header row. */
export const spreadsheetCsv = (t: ReportTable, bilingual = false): string =>
  tableCsv(t, { bom: true, rounded: true, bilingual });

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
