import type { Lang } from '../state/app-state.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** An instant as Beijing local time (the time zone test logs and regulators use), `YYYY-MM-DD HH:MM:SS`. */
export function localTime(ms: number, lang: Lang, withDate = true): string {
  const key = `${lang}-${withDate}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-CA', {
      timeZone: 'Asia/Shanghai',
      hourCycle: 'h23',
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(key, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  return withDate ? `${parts.year}-${parts.month}-${parts.day} ${time}` : time;
}
