import { MISSING } from './numbers.js';

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Parses a decimal number from `s[start, end)` without allocating. Up to 15 significant digits the result is
 * exact: an integer mantissa below 2^53 divided by an exactly representable power of ten is correctly rounded.
 * Anything else (exponents, more digits, words) goes through Number(). MISSING for blanks, NaN for non-numbers.
 */
export function parseDecimal(s: string, start: number, end: number): number | typeof MISSING {
  while (start < end && s.charCodeAt(start) === 32) start++;
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  if (start === end) return MISSING;
  let i = start;
  let c = s.charCodeAt(i);
  const negative = c === 45;
  if (negative || c === 43) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let dot = false;
  for (; i < end; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (dot) fraction++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (i !== end || digits === 0 || digits > 15) {
    const text = s.slice(start, end);
    const lower = text.toLowerCase();
    if (lower === 'null' || lower === 'nan' || lower === 'na' || text === '-') return MISSING;
    const n = Number(text);
    return Number.isFinite(n) ? n : NaN;
  }
  const v = fraction ? mantissa / (POW10[fraction] as number) : mantissa;
  return negative ? -v : v;
}
