/** RFC 4180 CSV text: fields with a delimiter, quote or line break are quoted, quotes doubled; CRLF record ends. */
export function csvText(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? formatNumber(v) : v;
  return /[",\r\n]/u.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
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
