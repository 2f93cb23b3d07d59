/**
 * Normalisation shared by the regulator formats: manufacturer names → company ids, the date shapes regulators
 * write, mileage numbers as typed by hand, DMV month headers, reporting years and California local time.
 */

/** 1 statute mile in km. */
export const KM_PER_MILE = 1.609344;

// ── manufacturers ──────────────────────────────────────────────────────────────────────────────────────────

/** Legal-form words dropped from the end of a name: `ZOOX, INC` and `ZOOX INC` are one company. */
const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'lllp',
  'llp',
  'lp',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'bv',
  'nv',
  'pty',
  'srl',
  'kk',
  'usa',
  'us',
]);

/**
 * A stable company id for a manufacturer or reporting entity as written: lower case, accents and parenthesised
 * remarks dropped (`Honda (American Honda Motor Co.)` → `honda`), "doing business as" tails dropped, `&` → `and`,
 * punctuation → `-`, trailing legal forms (Inc, LLC, Corp, Co., …) dropped. `ZOOX, INC`, `ZOOX INC` and
 * `Zoox, Inc.` → `zoox`; `PONY.AI, INC.` and `Pony.ai` → `pony-ai`; `NVIDIA CORPORATION ` → `nvidia`.
 * Returns null when nothing is left.
 */
export function companyIdOf(name: string): string | null {
  let s = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  s = s.replace(/\([^)]*\)/gu, ' ');
  // Dotted abbreviations (`L.L.C.`, `U.S.A.`, `D.B.A.`) become words.
  s = s.replace(/(?<![\p{L}\p{N}])(?:\p{L}\.){2,}/gu, (m) => m.replaceAll('.', ''));
  s = s.replace(/[\s,]+(dba|d\/b\/a)\s.*$/u, '');
  s = s.replace(/&/gu, ' and ');
  const words = s.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1] as string)) words.pop();
  const id = words.join('-').slice(0, 64).replace(/-+$/u, '');
  return id.length ? id : null;
}

/** A manufacturer name as written, tidied only of surrounding and doubled blanks. */
export function cleanName(name: string): string {
  return name.replace(/\s+/gu, ' ').trim();
}

/** A VIN as reported: blanks removed, upper case. */
export function cleanVin(vin: string): string {
  return vin.replace(/\s+/gu, '').toUpperCase();
}

// ── numbers ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A number typed into a spreadsheet: `1,089.90` (thousands separators), `830 .04` (a stray blank inside),
 * ` 12.5 `. Returns null when blank, NaN when it is not a number.
 */
export function parseReportedNumber(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const t = text.trim();
  if (t === '') return null;
  // Blanks anywhere between digits, the point and the sign are typing slips, not separators of two numbers
  // (`830 .04`); thousands separators must sit between groups of three digits.
  const squeezed = t.replace(/\s+/gu, '');
  if (!/^[-+]?(\d{1,3}(,\d{3})+|\d*)(\.\d*)?$/u.test(squeezed) || !/\d/u.test(squeezed)) return NaN;
  if (/\d\s+\d/u.test(t)) return NaN; // `12 345` could be two numbers: refuse rather than guess
  const n = Number(squeezed.replaceAll(',', ''));
  return Number.isFinite(n) ? n : NaN;
}

// ── dates ──────────────────────────────────────────────────────────────────────────────────────────────────

/** A calendar date (and maybe a time of day) as written: no zone. `day` is null for month-only dates (`APR-2022`). */
export interface CivilDate {
  year: number;
  month: number;
  day: number | null;
  hour: number;
  minute: number;
  second: number;
  /** Whether a time of day was written. */
  hasTime: boolean;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

export function monthNumber(name: string): number | null {
  return MONTHS[name.toLowerCase()] ?? null;
}

const TIME = String.raw`(?:\s*(?:[T\s]|\s/\s|,)\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap]\.?m\.?)?)?`;
/** `2021-03-04`, `2021.03.04.`, `2021/03/04`, optionally `10:39:23` after a blank, `T` or ` / `. */
const YMD = new RegExp(String.raw`^(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?${TIME}$`, 'iu');
/** `11/30/2021`, `3/4/21` (US order, month first), `30.11.2021` when the first number cannot be a month. */
const MDY = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})${TIME}$`, 'iu');
/** `01/Apr/21`, `1-Apr-2021`, `1 April 2021`. */
const D_MON_Y = new RegExp(String.raw`^(\d{1,2})[/\s-]([a-z]{3,9})\.?[/\s-](\d{2}|\d{4})${TIME}$`, 'iu');
/** `Apr 1, 2021`, `April 1 2021`. */
const MON_D_Y = new RegExp(String.raw`^([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})${TIME}$`, 'iu');
/** `APR-2022`, `April 2022` (NHTSA incident months). */
const MON_Y = /^([a-z]{3,9})[\s-](\d{4})$/iu;
/** `20230308`, `20230308 14:20:00`: compact ISO dates (a CA DMV reporting year writes them). */
const COMPACT = new RegExp(String.raw`^((?:19|20|21)\d{2})(\d{2})(\d{2})${TIME}$`, 'iu');
/** Excel serial day numbers (1900 system), as a spreadsheet pastes them: 44000–60000 is 2020–2064. */
const SERIAL = /^(\d{5})$/u;

function fullYear(y: string): number {
  const n = Number(y);
  return y.length === 2 ? 2000 + n : n;
}

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function withTime(year: number, month: number, day: number | null, m: RegExpExecArray, at: number): CivilDate | null {
  if (day !== null && !validDay(year, month, day)) return null;
  if (day === null && (month < 1 || month > 12)) return null;
  if (year < 1900 || year > 2200) return null;
  let hour = m[at] !== undefined ? Number(m[at]) : 0;
  const minute = m[at + 1] !== undefined ? Number(m[at + 1]) : 0;
  const second = m[at + 2] !== undefined ? Number(m[at + 2]) : 0;
  const ampm = m[at + 3]?.toLowerCase().replaceAll('.', '');
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (ampm === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second, hasTime: m[at] !== undefined };
}

/**
 * The date shapes regulator files hold, all seen in CA DMV and NHTSA files: `2021.03.04.`, `2021.12.06. 10:39:23`,
 * `2022-12-06`, `20230308`, `2021-05-03 / 14:20:00`, `2022/03/02`, `11/30/2021`, `3/4/21`, `01/Apr/21`, `APR-2022`, plus
 * `Apr 1, 2021` and Excel serial days. Slash dates are US order (month first) unless the first number
 * cannot be a month. Leading tabs, blanks and a trailing dot are ignored. Null when unreadable or not a real day.
 */
export function parseRegulatorDate(text: string | null | undefined): CivilDate | null {
  if (!text) return null;
  const s = text.trim();
  if (s === '') return null;
  let m = YMD.exec(s) ?? COMPACT.exec(s);
  if (m) return withTime(Number(m[1]), Number(m[2]), Number(m[3]), m, 4);
  m = MDY.exec(s);
  if (m) {
    let month = Number(m[1]);
    let day = Number(m[2]);
    if (month > 12 && day <= 12) [month, day] = [day, month];
    return withTime(fullYear(m[3] as string), month, day, m, 4);
  }
  m = D_MON_Y.exec(s);
  if (m) {
    const month = monthNumber(m[2] as string);
    return month === null ? null : withTime(fullYear(m[3] as string), month, Number(m[1]), m, 4);
  }
  m = MON_D_Y.exec(s);
  if (m) {
    const month = monthNumber(m[1] as string);
    return month === null ? null : withTime(Number(m[3]), month, Number(m[2]), m, 4);
  }
  const my = MON_Y.exec(s);
  if (my) {
    const month = monthNumber(my[1] as string);
    const year = Number(my[2]);
    return month === null || year < 1900
      ? null
      : { year, month, day: null, hour: 0, minute: 0, second: 0, hasTime: false };
  }
  const serial = SERIAL.exec(s);
  if (serial) {
    const n = Number(serial[1]);
    if (n < 40000 || n > 60000) return null;
    const d = new Date(Date.UTC(1899, 11, 30) + n * 86_400_000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
      hasTime: false,
    };
  }
  return null;
}

/** `YYYY-MM-DD` of a civil date (day 1 for month-only dates). */
export function isoDate(d: CivilDate): string {
  return `${d.year}-${pad(d.month)}-${pad(d.day ?? 1)}`;
}

/** `HH:MM:SS` of a civil date, or null without a time. */
export function isoTime(d: CivilDate): string | null {
  return d.hasTime ? `${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}` : null;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of an IANA zone at an instant. */
function zoneOffsetMin(zone: string, utcMs: number): number {
  let f = zoneFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  const local = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return Math.round((local - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** The UTC instant (ms) of a civil date-time in an IANA zone (`America/Los_Angeles` for California files). */
export function zonedToUtcMs(d: CivilDate, zone: string): number {
  const naive = Date.UTC(d.year, d.month - 1, d.day ?? 1, d.hour, d.minute, d.second);
  // Two rounds settle DST edges: the offset at the guessed instant, then at the corrected one.
  let offset = zoneOffsetMin(zone, naive);
  offset = zoneOffsetMin(zone, naive - offset * 60_000);
  return naive - offset * 60_000;
}

/** California's zone: CA DMV dates and times are local there. */
export const CALIFORNIA_ZONE = 'America/Los_Angeles';

// ── months and reporting years ─────────────────────────────────────────────────────────────────────────────

/** A calendar month as `YYYY-MM`. */
export type YearMonth = string;

/** The DMV's column spelling of each month (`JULY`, not `JUL`). */
export const DMV_MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JULY',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
] as const;

/** `DEC 2020`, `JULY 2021`, `Sept 2021` → `2020-12`, …; null for any other header. */
export function parseMonthHeader(cell: string): YearMonth | null {
  const m = /^([a-z]{3,9})\.?[\s-]+(\d{4})$/iu.exec(cell.trim());
  if (!m) return null;
  const month = monthNumber(m[1] as string);
  return month === null ? null : `${m[2]}-${pad(month)}`;
}

/** The DMV header of a month: `2021-07` → `JULY 2021`. */
export function dmvMonthHeader(ym: YearMonth): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return `${DMV_MONTH_NAMES[m - 1]} ${y}`;
}

/** The CA DMV reporting year of a month: December counts toward the next year (Dec 2020 – Nov 2021 is 2021). */
export function reportingYearOf(ym: YearMonth): number {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return m === 12 ? y + 1 : y;
}

/** First and last month of a reporting year: 2021 → [`2020-12`, `2021-11`]. */
export function reportingYearMonths(year: number): [YearMonth, YearMonth] {
  return [`${year - 1}-12`, `${year}-11`];
}

/** Months from `from` to `to`, inclusive. */
export function monthRange(from: YearMonth, to: YearMonth): YearMonth[] {
  const out: YearMonth[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${pad(m)}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export function isYearMonth(s: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/u.test(s);
}

// ── which DMV report a file is ─────────────────────────────────────────────────────────────────────────────

/**
 * The three reports the CA DMV publishes each year: `annual` (testing permits with a safety driver, filed for
 * December–November), `driverless` (driverless testing/deployment permits, AVDT…), `first_time` (a permit
 * holder's first report, covering everything since its permit was issued: more than one reporting year).
 */
export const DMV_REPORTS = ['annual', 'driverless', 'first_time'] as const;
export type DmvReport = (typeof DMV_REPORTS)[number];

/** Driverless permits are numbered AVDT…; testing permits with a driver AVT…. */
export function isDriverlessPermit(permit: string | null): boolean {
  return permit !== null && /^AVDT/iu.test(permit.trim());
}

/** What a DMV file's name says (the DMV's own names: `2021-Autonomous-…`, `2020-21-…-driverless.csv`, `…-first-time-filers.csv`). */
export interface DmvFileName {
  /** Reporting year the file was published for. */
  year: number | null;
  /** The name spans two years (`2020-21-…`): a first report covering more than one reporting year. */
  multiYear: boolean;
  driverless: boolean;
  firstTime: boolean;
}

export function dmvFileName(name: string): DmvFileName {
  const base = name.replace(/^.*[\\/]/u, '');
  const span = /^(\d{4})-(\d{2})(?!\d)/u.exec(base);
  const single = /^(\d{4})(?!\d)/u.exec(base);
  let year: number | null = null;
  if (span) year = Math.floor(Number(span[1]) / 100) * 100 + Number(span[2]);
  else if (single) year = Number(single[1]);
  return {
    year: year !== null && year >= 2014 && year <= 2200 ? year : null,
    multiYear: span !== null,
    driverless: /driverless/iu.test(base),
    firstTime: /first[-_ ]?time/iu.test(base),
  };
}

/** The report a row belongs to: a driverless permit decides first, then a period longer than one reporting year. */
export function dmvReportOf(permit: string | null, longerThanAYear: boolean, fileSaysDriverless = false): DmvReport {
  if (isDriverlessPermit(permit) || fileSaysDriverless) return 'driverless';
  return longerThanAYear ? 'first_time' : 'annual';
}
