/** Number formats of the printed report (the same in both languages: comma thousands, point decimals). */

export function fmtNum(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const fmtKm = (v: number | null | undefined) => fmtNum(v, 1);
export const fmtH = (v: number | null | undefined) => fmtNum(v, 1);
export const fmtInt = (v: number | null | undefined) => fmtNum(v, 0);
export const fmtRate = (v: number | null | undefined) => fmtNum(v, 2);
export const fmtPct = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${fmtNum(v, digits)}%`;

/** A signed change: "+1,234.5", "−3.0", "±0". */
export function fmtDelta(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const r = Number(v.toFixed(digits));
  if (r === 0) return '±0';
  return `${r > 0 ? '+' : '−'}${fmtNum(Math.abs(v), digits)}`;
}

export const fmtDeltaPct = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${fmtDelta(v, 1)}%`;

/** An instant as Beijing wall time to the minute: `2026-12-07 21:34 北京时间` / `2026-12-07 21:34 Beijing time`. */
export function fmtBeijing(iso: string, lang: 'zh' | 'en'): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  // Beijing is UTC+8 all year (no daylight saving since 1991).
  const local = new Date(ms + 8 * 3600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)} ${lang === 'zh' ? '北京时间' : 'Beijing time'}`;
}

/** An English count with its noun: "1 disengagement", "2 disengagements" (`many` for irregular plurals). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${fmtInt(n)} ${n === 1 ? one : many}`;
