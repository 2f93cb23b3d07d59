/**
 * One field of RFC 4180 CSV, the one escaper of every CSV avlog writes (SQL results, report tables, regulator
 * exports, the demo fleet's event logs). Quoted, quotes doubled, when it holds a comma, a quote, CR or LF, or when
 * it starts or ends with a space (readers trim). A cell that starts like a spreadsheet formula (`=`, `+`, `-`,
 * `@`, tab, CR) without being a plain number is neutralised (OWASP "CSV injection"): prefixed with `'`, which
 * spreadsheets show as text and do not evaluate, and quoted. NULL is an empty field and an empty string `""`, so
 * the two read back apart.
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  if (value === '') return '""';
  if (/^[=+\-@\t\r]/u.test(value) && !PLAIN_NUMBER.test(value)) return `"'${value.replaceAll('"', '""')}"`;
  const quote = /[",\r\n]|^ | $/u.test(value);
  return quote ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A decimal number and nothing else: `-3.25`, `+1e-3` (which no spreadsheet reads as a formula). */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/u;

/** A CSV record: its fields escaped and joined by commas (the caller adds the line end). */
export function csvRecord(fields: readonly (string | null)[]): string {
  return fields.map(csvField).join(',');
}
