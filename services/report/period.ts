/** Beijing is UTC+8 all year (no DST): report months are local calendar months. */
const OFFSET_MS = 8 * 3600_000;

/**
 * What a report covers: one month (the monthly report), a calendar quarter (Guangdong's stage report) or a span of
 * whole months (a test's summary report). Always whole local (Asia/Shanghai) months, so every period is the union of
 * its months and its figures are sums over theirs.
 */
export type PeriodKind = 'month' | 'quarter' | 'range';

export interface Period {
  kind: PeriodKind;
  /** `YYYY-MM`, `YYYY-Qn` or `YYYY-MM..YYYY-MM`: how the API and file names spell it. */
  id: string;
  /** The months it covers, `YYYY-MM`, in order. */
  months: string[];
  /** First instant, UTC ISO (00:00 Beijing on the 1st of the first month). */
  from: string;
  /** First instant after it, UTC ISO (exclusive). */
  to: string;
  /** First and last local dates, `YYYY-MM-DD`. */
  firstDate: string;
  lastDate: string;
  days: number;
}

/** Years 1970–9999: lake timestamps are Unix epoch instants, and `Date.UTC` maps years below 100 to 19xx. */
const YEAR_RE = '(?:19[7-9]\\d|[2-9]\\d{3})';
export const MONTH_PATTERN = `^${YEAR_RE}-(0[1-9]|1[0-2])$`;
export const QUARTER_PATTERN = `^${YEAR_RE}-Q[1-4]$`;
const MONTH_RE = `${YEAR_RE}-(?:0[1-9]|1[0-2])`;
/** A month, a quarter, or `YYYY-MM..YYYY-MM` (inclusive). */
export const PERIOD_PATTERN = `^(${MONTH_RE}|${YEAR_RE}-Q[1-4]|${MONTH_RE}\\.\\.${MONTH_RE})$`;

/** Shape only, any year: the period before a 1970 one is still a period (with no data). */
const MONTH_SHAPE = /^\d{4}-(0[1-9]|1[0-2])$/u;
const QUARTER_SHAPE = /^\d{4}-Q[1-4]$/u;

/** A `YYYY-MM` a caller may ask for (years 1970–9999). */
export function isMonth(s: string): boolean {
  return new RegExp(MONTH_PATTERN, 'u').test(s);
}

/** A `YYYY-Qn` a caller may ask for (years 1970–9999). */
export function isQuarter(s: string): boolean {
  return new RegExp(QUARTER_PATTERN, 'u').test(s);
}

/** Months since year 0, and back. */
const ordinal = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const fromOrdinal = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;

/** The month `n` months after `YYYY-MM` (negative: before). */
export function addMonths(month: string, n: number): string {
  return fromOrdinal(ordinal(month) + n);
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  return addMonths(month, -1);
}

/** `YYYY-Qn` of a month. */
export function quarterOf(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

function span(kind: PeriodKind, id: string, first: string, last: string): Period {
  const months: string[] = [];
  for (let n = ordinal(first); n <= ordinal(last); n++) months.push(fromOrdinal(n));
  const startUtc = Date.UTC(Number(first.slice(0, 4)), Number(first.slice(5, 7)) - 1, 1) - OFFSET_MS;
  const endUtc = Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 1) - OFFSET_MS;
  const lastDays = Math.round(
    (Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 1) -
      Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)) - 1, 1)) /
      86_400_000,
  );
  return {
    kind,
    id,
    months,
    from: new Date(startUtc).toISOString(),
    to: new Date(endUtc).toISOString(),
    firstDate: `${first}-01`,
    lastDate: `${last}-${String(lastDays).padStart(2, '0')}`,
    days: Math.round((endUtc - startUtc) / 86_400_000),
  };
}

/** The period of a `YYYY-MM` month; throws RangeError on anything else. */
export function monthPeriod(month: string): Period {
  if (!MONTH_SHAPE.test(month)) throw new RangeError(`month must be YYYY-MM, got "${month}"`);
  return span('month', month, month, month);
}

/** The period of a `YYYY-Qn` quarter (Q1 = January–March); throws RangeError on anything else. */
export function quarterPeriod(quarter: string): Period {
  if (!QUARTER_SHAPE.test(quarter)) throw new RangeError(`quarter must be YYYY-Qn (n = 1…4), got "${quarter}"`);
  const first = `${quarter.slice(0, 4)}-${String((Number(quarter.slice(6)) - 1) * 3 + 1).padStart(2, '0')}`;
  return span('quarter', quarter, first, addMonths(first, 2));
}

/** The longest span a report covers: ten years of months. */
export const MAX_PERIOD_MONTHS = 120;

/** The months `from` … `to` inclusive; throws RangeError on a malformed month, `to` before `from`, or too long a span. */
export function rangePeriod(from: string, to: string): Period {
  if (!MONTH_SHAPE.test(from)) throw new RangeError(`from must be YYYY-MM, got "${from}"`);
  if (!MONTH_SHAPE.test(to)) throw new RangeError(`to must be YYYY-MM, got "${to}"`);
  if (to < from) throw new RangeError(`to (${to}) is before from (${from})`);
  if (ordinal(to) - ordinal(from) + 1 > MAX_PERIOD_MONTHS)
    throw new RangeError(`${from}..${to} spans more than ${MAX_PERIOD_MONTHS} months`);
  return span('range', `${from}..${to}`, from, to);
}

/** A period from its id: `YYYY-MM`, `YYYY-Qn` or `YYYY-MM..YYYY-MM`; throws RangeError saying which forms are accepted. */
export function parsePeriod(id: string): Period {
  if (isMonth(id)) return monthPeriod(id);
  if (isQuarter(id)) return quarterPeriod(id);
  const m = /^(.*)\.\.(.*)$/u.exec(id);
  if (m) {
    for (const end of [m[1] ?? '', m[2] ?? ''])
      if (!isMonth(end)) throw new RangeError(`a range's ends must be YYYY-MM in 1970–9999, got "${end}"`);
    return rangePeriod(m[1] ?? '', m[2] ?? '');
  }
  throw new RangeError(`period must be YYYY-MM, YYYY-Qn or YYYY-MM..YYYY-MM, got "${id}"`);
}

/**
 * The period a report compares with: the month before, the quarter before, or the span of as many months just
 * before a range (for a whole test that is before its first data, so there is nothing to compare).
 */
export function previousPeriod(p: Period): Period {
  const first = p.months[0] as string;
  switch (p.kind) {
    case 'month':
      return monthPeriod(previousMonth(first));
    case 'quarter':
      return quarterPeriod(quarterOf(addMonths(first, -3)));
    case 'range':
      return rangePeriod(addMonths(first, -p.months.length), previousMonth(first));
  }
}

/** Last month of a period. */
export function lastMonth(p: Period): string {
  return p.months[p.months.length - 1] as string;
}

/** `YYYY-MM` of an instant in Beijing time. */
export function localMonthOf(iso: string): string {
  return new Date(Date.parse(iso) + OFFSET_MS).toISOString().slice(0, 7);
}

/** Beijing local time of an instant as `YYYY-MM-DD HH:MM:SS`. */
export function localTime(iso: string): string {
  return new Date(Date.parse(iso) + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
