import { describe, expect, it } from 'vitest';
import { toWgs84 } from '../../services/ingest/geo/crs.js';
import { shiftCoordinates, shiftOffsets, shiftPairs, wgs84ToGcj02 } from '../../web/src/geo/gcj02.js';

/** Metres between two [lon, lat] points at Shenzhen's latitude (equirectangular: fine at these distances). */
const metres = (a: readonly number[], b: readonly number[]) => {
  const k = 111_320;
  return Math.hypot(
    ((a[0] as number) - (b[0] as number)) * k * Math.cos((22.5 * Math.PI) / 180),
    ((a[1] as number) - (b[1] as number)) * k,
  );
};

describe('WGS-84 → GCJ-02 for drawing on AMap/Tencent tiles', () => {
  it('is undone by ingest’s GCJ-02 → WGS-84 (gcoord) to a centimetre across Shenzhen, and shifts by several hundred metres', () => {
    for (const p of [
      [114.0579, 22.5431],
      [113.9304, 22.5333],
      [114.2478, 22.7207],
      [113.8294, 22.6453],
    ] as [number, number][]) {
      const ours = wgs84ToGcj02(p[0], p[1]);
      const [lat, lon] = toWgs84('gcj02', ours[1], ours[0]);
      expect(metres([lon, lat], p)).toBeLessThan(0.01);
      const shift = metres(ours, p);
      expect(shift).toBeGreaterThan(300);
      expect(shift).toBeLessThan(800);
    }
  });

  it('leaves positions outside China alone', () => {
    expect(wgs84ToGcj02(-122.4, 37.8)).toEqual([-122.4, 37.8]);
  });

  it('shifts binary offsets, absolute pairs and GeoJSON coordinates the same way', () => {
    const origin = [114.0, 22.5] as const;
    const offsets = new Float32Array([0.05, 0.04, -0.07, 0.03]);
    const shifted = shiftOffsets(offsets, origin);
    const pairs = shiftPairs(new Float64Array([114.05, 22.54, 113.93, 22.53]));
    const direct = wgs84ToGcj02(114.05, 22.54);
    expect(metres([origin[0] + (shifted[0] as number), origin[1] + (shifted[1] as number)], direct)).toBeLessThan(0.05);
    expect(metres([pairs[0] as number, pairs[1] as number], direct)).toBeLessThan(1e-6);
    const ring = shiftCoordinates([
      [
        [114.05, 22.54],
        [113.93, 22.53],
        [114.05, 22.54],
      ],
    ]);
    expect(metres(ring[0]?.[0] ?? [], direct)).toBeLessThan(1e-6);
  });
});
