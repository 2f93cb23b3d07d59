/** Marks a value that is absent or blank, as distinct from one that is present but not a number (NaN). */
export const MISSING = Symbol('missing');

/** A field value as a number: MISSING when blank, NaN when present but not a finite number. */
export function toNumber(value: unknown): number | typeof MISSING {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (value === undefined || value === null) return MISSING;
  if (typeof value === 'string') {
    if (value.length === 0) return MISSING;
    const n = Number(value);
    if (Number.isFinite(n)) return n;
    const t = value.trim();
    if (
      t.length === 0 ||
      t.toLowerCase() === 'null' ||
      t.toLowerCase() === 'nan' ||
      t === '-' ||
      t.toUpperCase() === 'NA'
    )
      return MISSING;
    return NaN;
  }
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return NaN;
}

/** A field value as trimmed text, or null when blank. */
export function toText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const s =
    typeof value === 'string' ? value.trim() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return s.length ? s : null;
}
