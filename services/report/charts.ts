/**
 * Inline SVG charts for the printable report: no scripts, no external assets, fixed sizes that print well on A4.
 * Every function returns an `<svg>` string; text is escaped.
 */

export function esc(s: string): string {
  return s.replace(
    /[&<>"']/gu,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

export const MODE_COLOURS: Record<string, string> = {
  autonomous: '#2563eb',
  manual: '#f59e0b',
  remote: '#7c3aed',
  unknown: '#9ca3af',
};

const n1 = (x: number) => (Math.round(x * 10) / 10).toString();

/** A "nice" axis maximum ≥ v. */
function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmtTick(v: number): string {
  if (v >= 10_000) return `${n1(v / 1000)}k`;
  return Number.isInteger(v) ? String(v) : n1(v);
}

export interface Series {
  key: string;
  label: string;
  colour: string;
}

/** Vertical stacked bars: one bar per category, one stack segment per series. */
export function stackedBars(o: {
  categories: string[];
  series: Series[];
  values: number[][];
  width?: number;
  height?: number;
  unit?: string;
  labelEvery?: number;
  title?: string;
}): string {
  const W = o.width ?? 680;
  const H = o.height ?? 200;
  const left = 44;
  const bottom = 22;
  const top = 22;
  const plotW = W - left - 8;
  const plotH = H - top - bottom;
  const totals = o.categories.map((_, i) => o.series.reduce((a, _s, j) => a + (o.values[j]?.[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const bw = plotW / Math.max(1, o.categories.length);
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    const y = top + plotH - (v / max) * plotH;
    parts.push(
      `<line x1="${left}" x2="${W - 8}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e5e7eb"/><text x="${left - 4}" y="${(y + 3).toFixed(1)}" text-anchor="end" class="tick">${fmtTick(v)}</text>`,
    );
  }
  o.categories.forEach((c, i) => {
    let y = top + plotH;
    o.series.forEach((s, j) => {
      const v = o.values[j]?.[i] ?? 0;
      if (v <= 0) return;
      const h = (v / max) * plotH;
      y -= h;
      parts.push(
        `<rect x="${(left + i * bw + bw * 0.12).toFixed(1)}" y="${y.toFixed(1)}" width="${(bw * 0.76).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.colour}"><title>${esc(`${c} ${s.label}: ${n1(v)}${o.unit ? ` ${o.unit}` : ''}`)}</title></rect>`,
      );
    });
    if (i % (o.labelEvery ?? 1) === 0)
      parts.push(
        `<text x="${(left + i * bw + bw / 2).toFixed(1)}" y="${H - 8}" text-anchor="middle" class="tick">${esc(c)}</text>`,
      );
  });
  const legend = o.series
    .map(
      (s, j) =>
        `<rect x="${left + j * 150}" y="4" width="10" height="10" fill="${s.colour}"/><text x="${left + j * 150 + 14}" y="13" class="legend">${esc(s.label)}</text>`,
    )
    .join('');
  const unit = o.unit ? `<text x="4" y="${top - 6}" class="tick">${esc(o.unit)}</text>` : '';
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img"${o.title ? ` aria-label="${esc(o.title)}"` : ''}>${legend}${unit}${parts.join('')}</svg>`;
}

/** Horizontal bars, one per row, with the value printed at the bar's end. */
export function hBars(o: {
  rows: { label: string; value: number; colour?: string; note?: string }[];
  width?: number;
  unit?: string;
  max?: number;
  format?: (v: number) => string;
}): string {
  const W = o.width ?? 680;
  const rowH = 18;
  const labelW = Math.min(210, Math.round(W * 0.42));
  const H = Math.max(1, o.rows.length) * rowH + 6;
  const max = o.max ?? niceMax(Math.max(0, ...o.rows.map((r) => r.value)));
  const plotW = W - labelW - (W < 400 ? 40 : 110);
  const fmt = o.format ?? ((v: number) => n1(v));
  const parts = o.rows.map((r, i) => {
    const y = 3 + i * rowH;
    const w = max > 0 ? Math.max(0, (r.value / max) * plotW) : 0;
    return `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end" class="label">${esc(r.label)}</text><rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${r.colour ?? '#2563eb'}"/><text x="${(labelW + w + 4).toFixed(1)}" y="${y + 12}" class="value">${esc(fmt(r.value))}${o.unit ? ` ${esc(o.unit)}` : ''}${r.note ? ` ${esc(r.note)}` : ''}</text>`;
  });
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${parts.join('')}</svg>`;
}

/** A progress bar 0…1 with a marker for the previous value. */
export function progressBar(o: {
  value: number;
  previous?: number;
  width?: number;
  colour?: string;
  label?: string;
}): string {
  const W = o.width ?? 300;
  const H = 16;
  const v = Math.max(0, Math.min(1, o.value));
  const prev =
    o.previous === undefined
      ? ''
      : `<line x1="${(Math.min(1, o.previous) * W).toFixed(1)}" x2="${(Math.min(1, o.previous) * W).toFixed(1)}" y1="0" y2="${H}" stroke="#111827" stroke-dasharray="2,2"/>`;
  return `<svg class="bar" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img"><rect x="0" y="2" width="${W}" height="${H - 4}" fill="#e5e7eb" rx="3"/><rect x="0" y="2" width="${(v * W).toFixed(1)}" height="${H - 4}" fill="${o.colour ?? (v >= 1 ? '#16a34a' : '#2563eb')}" rx="3"/>${prev}${o.label ? `<text x="${W / 2}" y="12" text-anchor="middle" class="barlabel">${esc(o.label)}</text>` : ''}</svg>`;
}

/** A line chart of one or more series over categories (e.g. cumulative km by month). */
export function lineChart(o: {
  categories: string[];
  series: (Series & { values: number[]; target?: number })[];
  width?: number;
  height?: number;
  unit?: string;
}): string {
  const W = o.width ?? 680;
  const H = o.height ?? 180;
  const left = 50;
  const top = 22;
  const bottom = 22;
  const plotW = W - left - 12;
  const plotH = H - top - bottom;
  const max = niceMax(Math.max(0, ...o.series.flatMap((s) => [...s.values, s.target ?? 0])));
  const x = (i: number) => left + (o.categories.length <= 1 ? plotW / 2 : (i / (o.categories.length - 1)) * plotW);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    parts.push(
      `<line x1="${left}" x2="${W - 12}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e7eb"/><text x="${left - 4}" y="${(y(v) + 3).toFixed(1)}" text-anchor="end" class="tick">${fmtTick(v)}</text>`,
    );
  }
  const anchor = (i: number) =>
    o.categories.length <= 1 ? 'middle' : i === 0 ? 'start' : i === o.categories.length - 1 ? 'end' : 'middle';
  o.categories.forEach((c, i) =>
    parts.push(`<text x="${x(i).toFixed(1)}" y="${H - 6}" text-anchor="${anchor(i)}" class="tick">${esc(c)}</text>`),
  );
  for (const s of o.series) {
    if (s.target !== undefined)
      parts.push(
        `<line x1="${left}" x2="${W - 12}" y1="${y(s.target).toFixed(1)}" y2="${y(s.target).toFixed(1)}" stroke="${s.colour}" stroke-dasharray="5,3"/>`,
      );
    parts.push(
      `<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
    );
    s.values.forEach((v, i) =>
      parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.colour}"/>`),
    );
  }
  const legend = o.series
    .map(
      (s, j) =>
        `<rect x="${left + j * 200}" y="4" width="10" height="10" fill="${s.colour}"/><text x="${left + j * 200 + 14}" y="13" class="legend">${esc(s.label)}</text>`,
    )
    .join('');
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${legend}${o.unit ? `<text x="4" y="${top - 6}" class="tick">${esc(o.unit)}</text>` : ''}${parts.join('')}</svg>`;
}
