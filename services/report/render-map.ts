import { baseRoads } from '../reference/roads/base-roads.js';
import { esc, MODE_COLOURS } from './charts.js';
import type { Lang } from '../vocabulary/label.js';
import { KIND_LABELS, MODE_LABELS } from '../vocabulary/labels.js';
import { DRIVEN_MODES, modeOfCode } from '../vocabulary/modes.js';
import { KIND_GROUPS, kindsOf, type KindGroup } from '../vocabulary/event-kinds.js';
import { labelOf } from './i18n.js';
import type { MapSection } from './model.js';

/** Shades per kind group (the vocabulary's groups): one hue family per group, one shade per kind in it, dark to light. */
const GROUP_SHADES: Record<KindGroup, readonly string[]> = {
  collision: ['#b91c1c', '#ef4444', '#f87171', '#7f1d1d'],
  takeover: ['#c2410c', '#ca8a04', '#f59e0b', '#92400e', '#fb923c', '#a16207'],
  system_fault: ['#0f766e', '#0369a1', '#14b8a6', '#38bdf8', '#115e59'],
  harsh_driving: ['#7e22ce', '#be185d', '#a855f7', '#ec4899', '#6d28d9', '#f472b6', '#581c87'],
  bookkeeping: ['#4b5563', '#9ca3af', '#1f2937', '#d1d5db'],
};

/** A distinct colour per event kind, derived from its group (`vocabulary/event-kinds.ts`): same family, own shade. */
export const INCIDENT_COLOURS: Readonly<Record<string, string>> = Object.fromEntries(
  KIND_GROUPS.flatMap((g) => kindsOf(g).map((k, i) => [k, GROUP_SHADES[g][i] ?? '#111827'])),
);

/**
 * The month's routes (thinned to a grid, coloured by driving mode) and incidents as an inline SVG: a plain
 * equirectangular projection scaled by cos(latitude), the embedded arterial roads as faint base lines, a scale bar.
 * No tiles, no network.
 */
export function mapSvg(m: MapSection, lang: Lang, width = 680, height = 460): string {
  if (!m.bbox)
    return `<svg class="map" viewBox="0 0 ${width} 60" width="${width}" height="60"><text x="10" y="35" class="label">${lang === 'zh' ? '本月无轨迹数据' : 'No positions this month'}</text></svg>`;
  const [minLon, minLat, maxLon, maxLat] = m.bbox;
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const pad = 0.01;
  const x0 = (minLon - pad) * k;
  const x1 = (maxLon + pad) * k;
  const y0 = minLat - pad;
  const y1 = maxLat + pad;
  const legendH = 40;
  const plotH = height - legendH;
  const scale = Math.min(width / (x1 - x0), plotH / (y1 - y0));
  const ox = (width - (x1 - x0) * scale) / 2;
  const oy = (plotH - (y1 - y0) * scale) / 2;
  const px = (lon: number) => (ox + (lon * k - x0) * scale).toFixed(1);
  const py = (lat: number) => (oy + (y1 - lat) * scale).toFixed(1);
  const inside = (lon: number, lat: number) =>
    lon >= minLon - 2 * pad && lon <= maxLon + 2 * pad && lat >= minLat - 2 * pad && lat <= maxLat + 2 * pad;
  const parts: string[] = [`<rect x="0" y="0" width="${width}" height="${plotH}" fill="#f8fafc"/>`];
  for (const f of baseRoads().features) {
    const pts = f.geometry.coordinates.filter(([lon, lat]) => inside(lon as number, lat as number));
    if (pts.length < 2) continue;
    parts.push(
      `<polyline points="${pts.map(([lon, lat]) => `${px(lon as number)},${py(lat as number)}`).join(' ')}" fill="none" stroke="#cbd5e1" stroke-width="2.5"><title>${esc(lang === 'zh' ? f.properties.name : f.properties.name_en)}</title></polyline>`,
    );
  }
  // One polyline per run of the same mode within a drive.
  const byMode = new Map<number, string[]>();
  for (const r of m.routes) {
    let run: string[] = [];
    let mode = -1;
    const flush = () => {
      if (run.length >= 2) {
        const list = byMode.get(mode) ?? [];
        list.push(run.join(' '));
        byMode.set(mode, list);
      }
    };
    for (const [lon, lat, md] of r.points) {
      const p = `${px(lon)},${py(lat)}`;
      if (md !== mode) {
        flush();
        const last = run[run.length - 1];
        run = last ? [last] : [];
        mode = md;
      }
      run.push(p);
    }
    flush();
  }
  for (const [mode, lines] of [...byMode].sort((a, b) => a[0] - b[0])) {
    const colour = MODE_COLOURS[modeOfCode(mode)] ?? '#9ca3af';
    parts.push(
      `<g fill="none" stroke="${colour}" stroke-width="1.2" stroke-opacity="0.55" stroke-linejoin="round">${lines.map((l) => `<polyline points="${l}"/>`).join('')}</g>`,
    );
  }
  for (const i of m.incidents) {
    const colour = INCIDENT_COLOURS[i.kind] ?? '#111827';
    const r = i.kind === 'collision' ? 6 : 4;
    parts.push(
      `<circle cx="${px(i.lon)}" cy="${py(i.lat)}" r="${r}" fill="${colour}" stroke="#fff" stroke-width="1"><title>${esc(`${labelOf(KIND_LABELS, i.kind)?.[lang] ?? i.kind} ${i.severity ?? ''} ${i.event_id}`)}</title></circle>`,
    );
  }
  // Scale bar: a round number of km about a fifth of the width.
  const kmPerPx = (111.32 / scale) * 1;
  const target = (width / 5) * kmPerPx;
  const nice = [0.5, 1, 2, 5, 10, 20, 50].find((v) => v >= target * 0.6) ?? 50;
  const barPx = nice / kmPerPx;
  parts.push(
    `<g><rect x="10" y="${plotH - 24}" width="${barPx.toFixed(1)}" height="5" fill="#111827"/><text x="10" y="${plotH - 28}" class="tick">${nice} km</text></g>`,
  );
  parts.push(
    `<g><text x="${width - 18}" y="22" text-anchor="middle" class="legend">N</text><path d="M${width - 18} 26 l-5 12 l5 -4 l5 4 z" fill="#111827"/></g>`,
  );
  // Legend: modes as lines, incident kinds as dots, laid out left to right by the labels' approximate widths.
  const legend: string[] = [];
  let lx = 10;
  let ly = plotH + 13;
  const textW = (s: string) => [...s].reduce((a, ch) => a + (ch.charCodeAt(0) > 0x2e80 ? 9 : 5.2), 0);
  const place = (w: number) => {
    if (lx + w > width - 6) {
      lx = 10;
      ly += 13;
    }
    const at = lx;
    lx += w + 14;
    return at;
  };
  for (const mm of DRIVEN_MODES) {
    const label = MODE_LABELS[mm][lang];
    const x = place(18 + textW(label));
    legend.push(
      `<rect x="${x}" y="${ly - 4}" width="14" height="4" fill="${MODE_COLOURS[mm]}"/><text x="${x + 18}" y="${ly}" class="legend">${esc(label)}</text>`,
    );
  }
  for (const kd of [...new Set(m.incidents.map((i) => i.kind))].sort()) {
    const label = labelOf(KIND_LABELS, kd)?.[lang] ?? kd;
    const x = place(12 + textW(label));
    legend.push(
      `<circle cx="${x + 4}" cy="${ly - 3}" r="4" fill="${INCIDENT_COLOURS[kd] ?? '#111827'}"/><text x="${x + 11}" y="${ly}" class="legend">${esc(label)}</text>`,
    );
  }
  const total = ly + 8;
  return `<svg class="map" viewBox="0 0 ${width} ${total}" width="${width}" height="${total}" role="img" aria-label="${lang === 'zh' ? '路线与事件地图' : 'Map of routes and incidents'}">${parts.join('')}${legend.join('')}</svg>`;
}
