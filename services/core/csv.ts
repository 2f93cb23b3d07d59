/**
 * One field of RFC 4180 CSV, the one escaper of every CSV avlog writes (SQL results, report tables, regulator
 * exports, the demo fleet's event logs). Quoted, quotes doubled, when it holds a comma, a quote, CR or LF, when it
 * starts or ends with a space (readers trim), or when it starts like a spreadsheet formula (`=`, `+`, `-`, `@`, tab)
 * without being a number. NULL is an empty field and an empty string `""`, so the two read back apart.
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  if (value === '') return '""';
  const quote = /[",\r\n]|^ | $/u.test(value) || (/^[=+\-@\t]/u.test(value) && !/^-?\d/u.test(value));
  return quote ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A CSV record: its fields escaped and joined by commas (the caller adds the line end). */
export function csvRecord(fields: readonly (string | null)[]): string {
  return fields.map(csvField).join(',');
}
