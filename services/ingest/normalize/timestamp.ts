/** What a timestamp field's name says about its unit; `auto` guesses epoch units by magnitude. */
export type EpochUnit = 's' | 'ms' | 'us' | 'ns' | 'auto';

const MICROS: Record<Exclude<EpochUnit, 'auto'>, number> = { s: 1e6, ms: 1e3, us: 1, ns: 1e-3 };

/** Beijing time, UTC+8 all year (no DST since 1991): the zone of zone-less timestamp strings by default. */
export const BEIJING_OFFSET_MIN = 480;

/**
 * Epoch value → µs. Magnitude decides the unit when the name does not: seconds until 1e11 (year 5138),
 * milliseconds until 1e14, microseconds until 1e17, else nanoseconds.
 */
export function epochToMicros(value: number, unit: EpochUnit): number {
  if (unit !== 'auto') return value * MICROS[unit];
  const a = Math.abs(value);
  if (a < 1e11) return value * 1e6;
  if (a < 1e14) return value * 1e3;
  if (a < 1e17) return value;
  return value / 1e3;
}

const GENERAL =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\.?(?:[T\s]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/iu;
const NUMERIC = /^[+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/iu;

/**
 * Parses timestamps as real exports write them, to epoch µs (NaN when unreadable): epoch numbers in s/ms/µs/ns,
 * ISO-8601 with `T` or space, with or without fraction and zone, and `2021.03.04.`-style dates. A string without
 * a zone is local time at `localOffsetMin` (Beijing by default).
 */
export class TimestampParser {
  private readonly unit: EpochUnit;
  private readonly localOffsetMin: number;
  private cachedPrefix = '';
  private cachedBase = 0;
  private cachedDay = '';
  private cachedDayBase = 0;

  constructor(unit: EpochUnit, localOffsetMin = BEIJING_OFFSET_MIN) {
    this.unit = unit;
    this.localOffsetMin = localOffsetMin;
  }

  parse(value: unknown): number {
    if (typeof value === 'number') return Number.isFinite(value) ? epochToMicros(value, this.unit) : NaN;
    if (typeof value === 'bigint') return epochToMicros(Number(value), this.unit);
    if (typeof value !== 'string') return NaN;
    return this.parseSlice(value, 0, value.length);
  }

  /** Parses `text[start, end)`; the common ISO shape is read in place without allocating. */
  parseSlice(text: string, start: number, end: number): number {
    const fast = this.parseIsoFast(text, start, end);
    if (fast !== undefined) return fast;
    const s = text.slice(start, end).trim();
    if (NUMERIC.test(s)) return epochToMicros(Number(s), this.unit);
    const m = GENERAL.exec(s);
    if (!m) return NaN;
    return this.compose(
      +(m[1] ?? 0),
      +(m[2] ?? 1),
      +(m[3] ?? 1),
      +(m[4] ?? 0),
      +(m[5] ?? 0),
      +(m[6] ?? 0),
      m[7] ?? '',
      m[8],
    );
  }

  /** `YYYY-MM-DD[T ]HH:MM:SS[.f…][zone]`, the shape of nearly every row, without a regex. */
  private parseIsoFast(s: string, a: number, end: number): number | undefined {
    if (
      end - a < 19 ||
      s.charCodeAt(a + 4) !== 45 ||
      s.charCodeAt(a + 7) !== 45 ||
      s.charCodeAt(a + 13) !== 58 ||
      s.charCodeAt(a + 16) !== 58
    )
      return undefined;
    const sep = s.charCodeAt(a + 10);
    if (sep !== 84 && sep !== 32) return undefined;
    let base: number;
    if (this.cachedPrefix.length === 19 && s.startsWith(this.cachedPrefix, a)) {
      base = this.cachedBase;
    } else {
      if (!(this.cachedDay.length === 10 && s.startsWith(this.cachedDay, a))) {
        const y = digits(s, a, 4);
        const mo = digits(s, a + 5, 2);
        const da = digits(s, a + 8, 2);
        if (!(y >= 0 && mo >= 1 && mo <= 12 && da >= 1 && da <= 31)) return undefined;
        const day = Date.UTC(y, mo - 1, da) * 1000;
        if (Number.isNaN(day) || new Date(day / 1000).getUTCDate() !== da) return undefined;
        this.cachedDay = s.slice(a, a + 10);
        this.cachedDayBase = day;
      }
      const h = digits(s, a + 11, 2);
      const mi = digits(s, a + 14, 2);
      const se = digits(s, a + 17, 2);
      if (!(h >= 0 && h <= 24 && mi >= 0 && mi < 60 && se >= 0 && se <= 60)) return undefined;
      base = this.cachedDayBase + ((h * 60 + mi) * 60 + se) * 1e6;
      this.cachedPrefix = s.slice(a, a + 19);
      this.cachedBase = base;
    }
    let i = a + 19;
    let frac = 0;
    if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
      i++;
      let scale = 1e5;
      const start = i;
      while (i < end) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        if (scale >= 1) frac += c * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return undefined;
    }
    let offsetMin: number;
    if (i === end) offsetMin = this.localOffsetMin;
    else if (i === end - 1 && (s.charCodeAt(i) === 90 || s.charCodeAt(i) === 122)) offsetMin = 0;
    else {
      offsetMin = parseOffset(s.slice(i, end));
      if (Number.isNaN(offsetMin)) return undefined;
    }
    return base + frac - offsetMin * 60e6;
  }

  private compose(
    y: number,
    mo: number,
    d: number,
    h: number,
    mi: number,
    s: number,
    frac: string,
    zone: string | undefined,
  ): number {
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return NaN;
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    if (new Date(ms).getUTCDate() !== d) return NaN;
    let offsetMin = this.localOffsetMin;
    if (zone !== undefined) {
      const z = zone.toUpperCase();
      if (z === 'Z' || z === 'UTC' || z === 'GMT') offsetMin = 0;
      else offsetMin = parseOffset(z);
    }
    const micros = frac ? Math.round(Number(`0.${frac}`) * 1e6) : 0;
    return ms * 1000 + micros - offsetMin * 60e6;
  }
}

/** `+08`, `+0800`, `+08:00` → minutes east of UTC; NaN otherwise. */
function parseOffset(zone: string): number {
  const z = /^([+-])(\d{2}):?(\d{2})?$/u.exec(zone);
  if (!z) return NaN;
  return (z[1] === '-' ? -1 : 1) * (+(z[2] ?? 0) * 60 + +(z[3] ?? 0));
}

/** The `n`-digit decimal at `s[at]`, or -1 when a character is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
