import { csvRecord } from '../core/csv.js';

/** RFC 4180 CSV text with CRLF record ends, numbers as a regulator file writes them (`formatNumber`). */
export function csvText(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((r) => csvRecord(r.map((v) => (typeof v === 'number' ? formatNumber(v) : v)))).join('\r\n') + '\r\n';
}

/**
 * A number as a regulator file writes it: plain decimal notation (never `1e-7`), no float noise from sums
 * (15 significant digits), and a value that was read from a file prints back as it was read.
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (Math.abs(v) < 1e-9) return '0';
  const s = String(Number(v.toPrecision(15)));
  if (!/e/iu.test(s)) return s;
  return v.toFixed(9).replace(/\.?0+$/u, '');
}
