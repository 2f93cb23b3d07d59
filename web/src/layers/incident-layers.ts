import { HexagonLayer } from '@deck.gl/aggregation-layers';
import type { LayerData } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { IncidentSet } from '../data/incident-set.js';
import { kindColor, severityRadius } from './palette.js';

/** Per-incident colour (by kind) and radius (by severity), computed once per incident set. */
export function incidentStyle(set: IncidentSet): { colors: Uint8Array; radii: Float32Array } {
  const colors = new Uint8Array(set.length * 4);
  const radii = new Float32Array(set.length);
  for (let i = 0; i < set.length; i++) {
    colors.set(kindColor(set.meta.kinds[set.kind[i] as number] ?? ''), 4 * i);
    radii[i] = severityRadius(set.meta.severities[set.severity[i] as number]);
  }
  return { colors, radii };
}

/** Binary data objects by position array: deck.gl compares `data` by reference. */
const pointData = new WeakMap<Float64Array, Map<string, LayerData<unknown>>>();
function cached(positions: Float64Array, key: string, make: () => LayerData<unknown>): LayerData<unknown> {
  let m = pointData.get(positions);
  if (!m) pointData.set(positions, (m = new Map()));
  let d = m.get(key);
  if (!d) m.set(key, (d = make()));
  return d;
}

export function incidentsLayer(
  set: IncidentSet,
  positions: Float64Array,
  style: { colors: Uint8Array; radii: Float32Array },
  selected: number,
): ScatterplotLayer {
  return new ScatterplotLayer({
    id: 'incidents',
    data: cached(positions, 'points', () => ({
      length: set.length,
      attributes: {
        getPosition: { value: positions, size: 2 },
        getFillColor: { value: style.colors, size: 4, normalized: true },
        getRadius: { value: style.radii, size: 1 },
      },
    })),
    radiusUnits: 'pixels',
    stroked: true,
    getLineColor: [10, 12, 16, 255],
    lineWidthMinPixels: 1.5,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 200],
    highlightedObjectIndex: selected,
  });
}

/** [x, y] pairs → [x, y, 0] triples: HexagonLayer's position attribute has three components. */
function xyz(positions: Float64Array): Float64Array {
  const out = new Float64Array((positions.length / 2) * 3);
  for (let i = 0, j = 0; i < positions.length; i += 2, j += 3) {
    out[j] = positions[i] as number;
    out[j + 1] = positions[i + 1] as number;
  }
  return out;
}

/** Incident density: hexagons of `radius` metres, CPU-aggregated (few points; works on any GPU). */
export function hexbinLayer(set: IncidentSet, positions: Float64Array, radius: number): HexagonLayer {
  return new HexagonLayer({
    id: 'hexbin',
    data: cached(positions, 'hexbin', () => ({
      length: set.length,
      attributes: { getPosition: { value: xyz(positions), size: 3 } },
    })),
    gpuAggregation: false,
    radius,
    coverage: 0.9,
    opacity: 0.55,
    extruded: false,
    colorRange: [
      [65, 40, 120],
      [110, 50, 150],
      [170, 60, 150],
      [220, 90, 110],
      [250, 150, 70],
      [255, 220, 90],
    ],
    pickable: true,
  });
}
