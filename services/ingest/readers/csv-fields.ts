/** Guesses the delimiter from a header line: the most frequent of comma, semicolon, tab and pipe. */
export function detectDelimiter(header: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const count = header.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Splits one CSV record (RFC 4180 quoting, doubled quotes inside quoted fields). Returns null while a quoted
 * field is still open at the end of `text`: the caller appends the next line and tries again.
 */
export function splitQuoted(text: string, delimiter: string): string[] | null {
  const out: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      inQuotes = true;
    } else if (ch === delimiter) {
      out.push(field);
      field = '';
    } else {
      field += ch;
    }
    i++;
  }
  if (inQuotes) return null;
  out.push(field);
  return out;
}
