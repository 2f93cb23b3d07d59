import type { FeatureCollection, LineString } from 'geojson';
import { EMBEDDED_ROADS } from './embedded.js';

export interface RoadProperties {
  name: string;
  name_en: string;
  limit_kmh: number;
}

/** The embedded arterial network (the demo fleet's roads) as GeoJSON lines: the base map when there are no tiles. */
export function baseRoads(): FeatureCollection<LineString, RoadProperties> {
  return {
    type: 'FeatureCollection',
    features: EMBEDDED_ROADS.map((r) => ({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: r.points.map(([lon, lat]) => [lon, lat]) },
      properties: { name: r.name, name_en: r.nameEn, limit_kmh: r.limitKmh },
    })),
  };
}
