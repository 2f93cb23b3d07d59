import type { Position } from 'geojson';

/**
 * Douglas–Peucker simplification of a line or closed ring, in degrees (at city scale a degree tolerance is close
 * enough to a metre one: 1e-5° ≈ 1.1 m of latitude). Ends are always kept, so rings stay closed. Coordinates are
 * rounded to `decimals`.
 */
export function simplifyLine(points: readonly Position[], tolerance: number, decimals = 6): Position[] {
  const n = points.length;
  if (n < 3) return points.map((p) => round(p, decimals));
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length) {
    const [a, b] = stack.pop() as [number, number];
    const [x1 = 0, y1 = 0] = points[a] ?? [];
    const [x2 = 0, y2 = 0] = points[b] ?? [];
    const dx = x2 - x1;
    const dy = y2 - y1;
    const length = Math.hypot(dx, dy);
    let far = -1;
    let farthest = -1;
    for (let i = a + 1; i < b; i++) {
      const [x = 0, y = 0] = points[i] ?? [];
      // a closed ring's ends coincide: measure from the point instead of the (empty) segment
      const d = length < 1e-12 ? Math.hypot(x - x1, y - y1) : Math.abs(dy * x - dx * y + x2 * y1 - y2 * x1) / length;
      if (d > far) {
        far = d;
        farthest = i;
      }
    }
    if (far > tolerance) {
      keep[farthest] = 1;
      stack.push([a, farthest], [farthest, b]);
    }
  }
  return points.filter((_, i) => keep[i] === 1).map((p) => round(p, decimals));
}

function round(p: Position, decimals: number): Position {
  const f = 10 ** decimals;
  return p.map((v) => Math.round(v * f) / f);
}
