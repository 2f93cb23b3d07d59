import type { MonthFacts } from '../facts.js';
import type { ReportEvent } from '../inputs.js';
import type { CountRow } from '../model.js';

export const counted = (events: readonly ReportEvent[], kind: string) =>
  events.filter((e) => e.counted && e.kind === kind);
export const per = (n: number, km: number, scale: number): number | null => (km > 0 ? (n / km) * scale : null);
export const prevOr = <T>(f: MonthFacts, v: T): T | null => (f.has_data ? v : null);

export function countRows(
  cur: Record<string, number>,
  prev: Record<string, number> | null,
  order: readonly string[] = [],
): CountRow[] {
  const keys = [
    ...new Set([
      ...order.filter((k) => k in cur || (prev !== null && k in prev)),
      ...Object.keys(cur).sort(),
      ...Object.keys(prev ?? {}).sort(),
    ]),
  ];
  return keys.map((key) => ({ key, count: cur[key] ?? 0, previous: prev === null ? null : (prev[key] ?? 0) }));
}
