import { COORDINATE_SYSTEM } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { RouteSet } from '../data/route-set.js';

/** Where each path is at `time` (s since t0), interpolated between samples: the moving vehicles of the replay. */
export function headPositions(routes: RouteSet, positions: Float32Array, time: number): Float32Array {
  const out: number[] = [];
  const n = routes.startIndices.length;
  for (let p = 0; p < n; p++) {
    const start = routes.startIndices[p] as number;
    const end = (p + 1 < n ? (routes.startIndices[p + 1] as number) : routes.length) - 1;
    const t = routes.t;
    if (time < (t[start] as number) || time > (t[end] as number)) continue;
    let lo = start;
    let hi = end;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((t[mid] as number) <= time) lo = mid;
      else hi = mid;
    }
    const span = (t[hi] as number) - (t[lo] as number);
    const f = span > 0 ? (time - (t[lo] as number)) / span : 0;
    out.push(
      (positions[2 * lo] as number) + f * ((positions[2 * hi] as number) - (positions[2 * lo] as number)),
      (positions[2 * lo + 1] as number) + f * ((positions[2 * hi + 1] as number) - (positions[2 * lo + 1] as number)),
    );
  }
  return new Float32Array(out);
}

export function headsLayer(routes: RouteSet, heads: Float32Array, id = 'replay-heads'): ScatterplotLayer {
  return new ScatterplotLayer({
    id,
    data: { length: heads.length / 2, attributes: { getPosition: { value: heads, size: 2 } } },
    coordinateSystem: COORDINATE_SYSTEM.LNGLAT_OFFSETS,
    coordinateOrigin: [routes.meta.origin[0], routes.meta.origin[1], 0],
    radiusUnits: 'pixels',
    getRadius: 6,
    getFillColor: [255, 255, 255, 255],
    stroked: true,
    getLineColor: [0, 0, 0, 255],
    lineWidthMinPixels: 1.5,
  });
}
