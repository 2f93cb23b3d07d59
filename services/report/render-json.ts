import type { ReportModel } from './model.js';
import { reportTables } from './tables.js';

/** The report as JSON: the whole model (every figure, typed as in `model.ts`) and every table (columns with zh/en labels, rows). */
export function renderJson(m: ReportModel, pretty = false): string {
  const tables = Object.fromEntries(
    reportTables(m).map((t) => [t.id, { section: t.section, title: t.title, columns: t.columns, rows: t.rows }]),
  );
  return JSON.stringify({ report: m, tables }, null, pretty ? 1 : 0);
}
