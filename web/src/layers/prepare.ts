import type { IncidentSet } from '../data/incident-set.js';
import type { Districts, Roads } from '../data/map-api.js';
import type { RouteSet } from '../data/route-set.js';
import { shiftCoordinates, shiftOffsets, shiftPairs } from '../geo/gcj02.js';
import type { ColorBy } from '../state/app-state.js';
import { incidentStyle } from './incident-layers.js';
import { routeColors } from './route-colors.js';
import type { DrawnIncidents, DrawnRoutes } from './scene-layers.js';

/** Routes with colours for `colorBy`, positions shifted to GCJ-02 when drawn on GCJ-02 tiles. */
export function drawRoutes(set: RouteSet, colorBy: ColorBy, gcj: boolean): DrawnRoutes {
  return {
    set,
    positions: gcj ? shiftOffsets(set.positions, set.meta.origin) : set.positions,
    colors: routeColors(set, colorBy),
    colorKey: colorBy,
  };
}

export function drawIncidents(set: IncidentSet, gcj: boolean): DrawnIncidents {
  return { set, positions: gcj ? shiftPairs(set.positions) : set.positions, style: incidentStyle(set) };
}

export function shiftDistricts(d: Districts): Districts {
  return {
    ...d,
    features: d.features.map((f) => ({
      ...f,
      geometry: { ...f.geometry, coordinates: shiftCoordinates(f.geometry.coordinates) } as typeof f.geometry,
      properties: { ...f.properties, label: shiftCoordinates(f.properties.label) },
    })),
  };
}

export function shiftRoads(r: Roads): Roads {
  return {
    ...r,
    features: r.features.map((f) => ({
      ...f,
      geometry: { ...f.geometry, coordinates: shiftCoordinates(f.geometry.coordinates) },
    })),
  };
}
