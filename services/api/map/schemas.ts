import { Type, type Static } from '@sinclair/typebox';
import { FilterQuery } from '../schemas/common.js';
import { MAP_MODES, ARROW_STREAM_MIME } from './wire-format.js';

const NUM = '-?\\d+(\\.\\d+)?';
const modes = MAP_MODES.join('|');

/** Filters every map layer understands: the metric filters plus mode and a box. */
export const MapFilterQuery = {
  ...FilterQuery,
  mode: Type.Optional(
    Type.String({
      pattern: `^(${modes})(,(${modes}))*$`,
      description: `driving modes, comma-separated: ${MAP_MODES.join(', ')}`,
    }),
  ),
  bbox: Type.Optional(
    Type.String({ pattern: `^${NUM},${NUM},${NUM},${NUM}$`, description: 'minLon,minLat,maxLon,maxLat (WGS-84)' }),
  ),
};

const Format = Type.Optional(
  Type.Union([Type.Literal('arrow'), Type.Literal('json')], {
    default: 'arrow',
    description: 'arrow (Arrow IPC stream) or json',
  }),
);

export const DEFAULT_MAX_POINTS = 2_000_000;
export const DEFAULT_INCIDENT_LIMIT = 50_000;

export const RoutesQuery = Type.Object(
  {
    ...MapFilterQuery,
    zoom: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 24,
        description: 'map zoom to thin for (level of detail); omit for every sample',
      }),
    ),
    max_points: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 20_000_000,
        default: DEFAULT_MAX_POINTS,
        description: 'most samples to send',
      }),
    ),
    format: Format,
  },
  { additionalProperties: false },
);
export type RoutesQueryT = Static<typeof RoutesQuery>;

export const MapIncidentsQuery = Type.Object(
  {
    ...MapFilterQuery,
    kind: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', description: 'event kinds, comma-separated' })),
    severity: Type.Optional(Type.String({ pattern: '^[a-z]+(,[a-z]+)*$', description: 'severities, comma-separated' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: DEFAULT_INCIDENT_LIMIT })),
    format: Format,
  },
  { additionalProperties: false },
);
export type MapIncidentsQueryT = Static<typeof MapIncidentsQuery>;

/** A response that is an Arrow IPC stream, or JSON with `?format=json`. */
export function arrowOrJson(description: string, json: object) {
  return {
    description,
    content: {
      [ARROW_STREAM_MIME]: { schema: { type: 'string', format: 'binary' } },
      'application/json': { schema: json },
    },
  };
}

export const FilterOptionsResponse = Type.Object({
  companies: Type.Array(Type.Object({ id: Type.String(), vehicles: Type.Integer() })),
  vehicles: Type.Array(Type.Object({ id: Type.String(), company: Type.String() })),
  modes: Type.Array(Type.String()),
  kinds: Type.Array(Type.Object({ kind: Type.String(), count: Type.Integer() })),
  districts: Type.Array(Type.String()),
  ads_versions: Type.Array(Type.String()),
  dates: Type.Union([Type.Object({ from: Type.String(), to: Type.String() }), Type.Null()]),
  bbox: Type.Union([Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }), Type.Null()]),
});

export const TileCrs = Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02')]);
export const MapConfigResponse = Type.Object({
  tiles: Type.Union([
    Type.Object({ url: Type.String(), crs: TileCrs, attribution: Type.Optional(Type.String()) }),
    Type.Null(),
  ]),
  districts: Type.Boolean({ description: 'whether /api/map/districts has polygons' }),
  incident_window: Type.Object({ before_s: Type.Number(), after_s: Type.Number() }),
  public_view: Type.Union([Type.Object({ cell_deg: Type.Number(), time_s: Type.Number() }), Type.Null()], {
    description:
      'for a public caller (x-avlog-role: public): the grid (degrees) positions are snapped to and the step (s) times are rounded to; null for everyone else',
  }),
});
export type MapConfig = Static<typeof MapConfigResponse>;
export type MapTiles = NonNullable<MapConfig['tiles']>;

export const GeoJsonResponse = {
  description: 'GeoJSON FeatureCollection',
  content: { 'application/geo+json': { schema: { type: 'object' } } },
};
