import { COORDINATE_SYSTEM, type LayerData } from '@deck.gl/core';
import { TripsLayer } from '@deck.gl/geo-layers';
import { PathLayer } from '@deck.gl/layers';
import type { RouteSet } from '../data/route-set.js';

/** deck.gl's binary path layout: `length` paths starting at `startIndices` in per-vertex attribute arrays. */
interface BinaryPaths {
  length: number;
  startIndices: Uint32Array;
  attributes: Record<string, { value: Float32Array | Uint8Array; size: number; normalized?: boolean }>;
}

/**
 * The data objects are cached per colour array (one per drawn route set and colouring): deck.gl compares `data`
 * by reference, and a new object each frame would rebuild every attribute during the replay.
 */
const cache = new WeakMap<Uint8Array, Map<string, BinaryPaths>>();

function binaryPaths(
  routes: RouteSet,
  positions: Float32Array,
  colors: Uint8Array,
  withTime: boolean,
): LayerData<unknown> {
  let byKind = cache.get(colors);
  if (!byKind) cache.set(colors, (byKind = new Map()));
  const key = `${withTime}`;
  const hit = byKind.get(key);
  if (hit && hit.attributes.getPath?.value === positions) return hit;
  const data: BinaryPaths = {
    length: routes.startIndices.length,
    startIndices: routes.startIndices,
    attributes: {
      getPath: { value: positions, size: 2 },
      getColor: { value: colors, size: 4, normalized: true },
      ...(withTime ? { getTimestamps: { value: routes.t, size: 1 } } : {}),
    },
  };
  byKind.set(key, data);
  return data;
}

const offsets = (routes: RouteSet) => ({
  coordinateSystem: COORDINATE_SYSTEM.LNGLAT_OFFSETS,
  coordinateOrigin: [routes.meta.origin[0], routes.meta.origin[1], 0] as [number, number, number],
});

export interface RouteLayerProps {
  routes: RouteSet;
  /** Positions to draw (the routes' own, or shifted to GCJ-02). */
  positions: Float32Array;
  colors: Uint8Array;
  /** Bumps when colours change without new routes. */
  colorKey: string;
  dimmed: boolean;
}

/** Every route as a path, coloured per sample; pickable (index = path). */
export function routesLayer(p: RouteLayerProps): PathLayer {
  return new PathLayer({
    id: 'routes',
    data: binaryPaths(p.routes, p.positions, p.colors, false),
    _pathType: 'open',
    ...offsets(p.routes),
    widthUnits: 'pixels',
    getWidth: 2,
    widthMinPixels: 2,
    jointRounded: false,
    capRounded: false,
    opacity: p.dimmed ? 0.25 : 0.9,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 160],
    updateTriggers: { getColor: p.colorKey },
  });
}

export interface TripsLayerProps extends RouteLayerProps {
  /** Seconds since the routes' t0. */
  currentTime: number;
  trailLength: number;
  id?: string;
  /** Line width, pixels. */
  width?: number;
}

/** The replay: each path drawn up to `currentTime`, fading over `trailLength` seconds. */
export function tripsLayer(p: TripsLayerProps): TripsLayer {
  return new TripsLayer({
    id: p.id ?? 'trips',
    data: binaryPaths(p.routes, p.positions, p.colors, true),
    _pathType: 'open',
    ...offsets(p.routes),
    widthUnits: 'pixels',
    getWidth: p.width ?? 4,
    widthMinPixels: 3,
    capRounded: true,
    jointRounded: true,
    fadeTrail: true,
    trailLength: p.trailLength,
    currentTime: p.currentTime,
    updateTriggers: { getColor: p.colorKey },
  });
}
