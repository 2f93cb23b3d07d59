import type { Pixels } from './png.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

type Rgb = readonly [number, number, number] | readonly number[];

/** The dark backgrounds routes are drawn over: the page and the district fill (web/src/style.css, palette.ts). */
const BACKGROUNDS: readonly Rgb[] = [
  [14, 17, 22],
  [30, 36, 46],
];

/**
 * Whether a pixel is `color` blended over one of the backgrounds with at least `minAlpha` coverage: lines are
 * anti-aliased and drawn with some opacity, so exact matches are rare; a blend keeps the hue.
 */
export function isBlendOf(r: number, g: number, b: number, color: Rgb, minAlpha = 0.45, tolerance = 28): boolean {
  const p = [r, g, b];
  return BACKGROUNDS.some((bg) => {
    let k = 0;
    for (let c = 1; c < 3; c++)
      if (Math.abs((color[c] as number) - (bg[c] as number)) > Math.abs((color[k] as number) - (bg[k] as number)))
        k = c;
    const span = (color[k] as number) - (bg[k] as number);
    if (span === 0) return false;
    const alpha = ((p[k] as number) - (bg[k] as number)) / span;
    if (alpha < minAlpha || alpha > 1.1) return false;
    for (let c = 0; c < 3; c++) {
      const expected = (bg[c] as number) + alpha * ((color[c] as number) - (bg[c] as number));
      if (Math.abs((p[c] as number) - expected) > tolerance) return false;
    }
    return true;
  });
}

const inside = (rects: readonly Rect[], x: number, y: number) =>
  rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);

/** Pixels outside `exclude` that differ (by more than a little) between two screenshots of the same size. */
export function changedPixels(a: Pixels, b: Pixels, exclude: readonly Rect[] = []): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('screenshots differ in size');
  let n = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = 4 * (y * a.width + x);
      const d =
        Math.abs((a.data[i] as number) - (b.data[i] as number)) +
        Math.abs((a.data[i + 1] as number) - (b.data[i + 1] as number)) +
        Math.abs((a.data[i + 2] as number) - (b.data[i + 2] as number));
      if (d > 30 && !inside(exclude, x, y)) n++;
    }
  }
  return n;
}

/** How many pixels outside `exclude` are blends of each named colour with at least `minAlpha` coverage. */
export function countColors<K extends string>(
  px: Pixels,
  colors: Record<K, Rgb>,
  exclude: readonly Rect[] = [],
  minAlpha = 0.45,
): Record<K, number> {
  const names = Object.keys(colors) as K[];
  const counts = Object.fromEntries(names.map((n) => [n, 0])) as Record<K, number>;
  for (let y = 0; y < px.height; y++) {
    for (let x = 0; x < px.width; x++) {
      const i = 4 * (y * px.width + x);
      const r = px.data[i] as number;
      const g = px.data[i + 1] as number;
      const b = px.data[i + 2] as number;
      if (r + g + b < 120) continue;
      if (inside(exclude, x, y)) continue;
      for (const n of names) {
        if (isBlendOf(r, g, b, colors[n], minAlpha)) {
          counts[n]++;
          break;
        }
      }
    }
  }
  return counts;
}
