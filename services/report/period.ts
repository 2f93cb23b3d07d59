/** Beijing is UTC+8 all year (no DST): report months are local calendar months. */
const OFFSET_MS = 8 * 3600_000;

/** One reporting month: local (Asia/Shanghai) calendar month, as UTC instants for the lake's `ts` and local dates for `date`. */
export interface Period {
  /** `YYYY-MM`. */
  month: string;
  /** First instant, UTC ISO (00:00 Beijing on the 1st). */
  from: string;
  /** First instant of the next month, UTC ISO (exclusive). */
  to: string;
  /** First and last local dates, `YYYY-MM-DD`. */
  firstDate: string;
  lastDate: string;
  days: number;
}

export const MONTH_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';

export function isMonth(s: string): boolean {
  return new RegExp(MONTH_PATTERN, 'u').test(s);
}

/** The period of a `YYYY-MM` month; throws RangeError on anything else. */
export function monthPeriod(month: string): Period {
  if (!isMonth(month)) throw new RangeError(`month must be YYYY-MM, got "${month}"`);
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const startUtc = Date.UTC(y, m - 1, 1) - OFFSET_MS;
  const endUtc = Date.UTC(y, m, 1) - OFFSET_MS;
  const days = Math.round((endUtc - startUtc) / 86_400_000);
  return {
    month,
    from: new Date(startUtc).toISOString(),
    to: new Date(endUtc).toISOString(),
    firstDate: `${month}-01`,
    lastDate: `${month}-${String(days).padStart(2, '0')}`,
    days,
  };
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** `YYYY-MM` of an instant in Beijing time. */
export function localMonthOf(iso: string): string {
  return new Date(Date.parse(iso) + OFFSET_MS).toISOString().slice(0, 7);
}

/** Beijing local time of an instant as `YYYY-MM-DD HH:MM:SS`. */
export function localTime(iso: string): string {
  return new Date(Date.parse(iso) + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
