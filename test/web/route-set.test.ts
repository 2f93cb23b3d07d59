import { describe, expect, it } from 'vitest';
import type { RouteData } from '../../services/api/map/route-data.js';
import { routesToArrow } from '../../services/api/map/route-encoding.js';
import { MAP_MODES } from '../../services/api/map/wire-format.js';
import { decodeRoutes } from '../../web/src/data/route-set.js';
import { headPositions } from '../../web/src/layers/replay-heads.js';
import { routeColors } from '../../web/src/layers/route-colors.js';
import { MODE_COLORS } from '../../web/src/layers/palette.js';

/** The encoder's chunks as one buffer, as the browser receives them. */
const wire = async (d: RouteData) => new Uint8Array(Buffer.concat(await routesToArrow(d)));

/** Three pieces: drive 0 cut in two (a filter removed samples), then drive 1. */
function sample(): RouteData {
  const n = 7;
  return {
    meta: {
      origin: [114, 22.5],
      t0: '2026-09-01T00:00:00.000Z',
      duration_s: 60,
      vehicles: [{ id: 'v1', company: 'c' }],
      drives: ['d0', 'd1'],
      drive_vehicle: [0, 0],
      path_starts: [0, 3, 5],
      path_drives: [0, 0, 1],
      modes: MAP_MODES,
      lod: null,
      stride: 1,
      source_points: n,
      bbox: [114, 22.5, 114.1, 22.6],
    },
    length: n,
    position: new Float32Array([0, 0, 0.001, 0, 0.002, 0, 0.01, 0.01, 0.011, 0.01, 0.05, 0.05, 0.051, 0.05]),
    t: new Float32Array([0, 10, 20, 40, 50, 0, 60]),
    speed: new Float32Array([1, 2, NaN, 4, 5, 6, 7]),
    mode: new Uint8Array([0, 0, 1, 1, 1, 2, 2]),
  };
}

describe('the routes wire format, server encoder to browser decoder', () => {
  it('decodes to the same columns, zero-copy, with path start indices', async () => {
    const data = sample();
    const routes = decodeRoutes(await wire(data));
    expect(routes.length).toBe(7);
    expect([...routes.positions]).toEqual([...data.position]);
    expect([...routes.t]).toEqual([...data.t]);
    expect([...routes.mode]).toEqual([...data.mode]);
    expect([...routes.startIndices]).toEqual([0, 3, 5]);
    expect(routes.t0Ms).toBe(Date.parse('2026-09-01T00:00:00Z'));
    expect(routes.meta.drives).toEqual(['d0', 'd1']);
    // a view into the IPC buffer, not a copy
    expect(routes.positions.buffer).toBe(routes.t.buffer);
  });

  it('colours each sample by its mode', async () => {
    const routes = decodeRoutes(await wire(sample()));
    const colors = routeColors(routes, 'mode');
    expect([...colors.subarray(0, 4)]).toEqual([...MODE_COLORS.autonomous]);
    expect([...colors.subarray(8, 12)]).toEqual([...MODE_COLORS.manual]);
    expect([...colors.subarray(20, 24)]).toEqual([...MODE_COLORS.remote]);
  });

  it('colours a mode code outside the vocabulary as unknown', async () => {
    const s = sample();
    const routes = decodeRoutes(await wire({ ...s, mode: s.mode.map((m, i) => (i === 1 ? 200 : m)) }));
    const colors = routeColors(routes, 'mode');
    expect([...colors.subarray(4, 8)]).toEqual([...MODE_COLORS.unknown]);
    expect([...colors.subarray(0, 4)]).toEqual([...MODE_COLORS.autonomous]);
  });

  it('places the replay’s vehicles by interpolating each path at the clock', async () => {
    const routes = decodeRoutes(await wire(sample()));
    const heads = headPositions(routes, routes.positions, 15);
    // path 0 (t 0…20) at t=15: halfway between its 2nd and 3rd samples; path 1 (40…50) idle; path 2 (0…60) at a quarter
    expect(heads.length).toBe(4);
    expect(heads[0]).toBeCloseTo(0.0015, 6);
    expect(heads[2]).toBeCloseTo(0.05025, 6);
  });

  it('an empty stream decodes to no paths', async () => {
    const s = sample();
    const empty = {
      meta: { ...s.meta, path_starts: [], path_drives: [] },
      length: 0,
      position: new Float32Array(0),
      t: new Float32Array(0),
      speed: new Float32Array(0),
      mode: new Uint8Array(0),
    };
    const routes = decodeRoutes(await wire(empty));
    expect(routes.length).toBe(0);
    expect(routes.startIndices.length).toBe(0);
  });
});
