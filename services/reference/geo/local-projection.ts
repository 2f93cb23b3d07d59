import { M_PER_DEG } from './haversine.js';

const DEG = Math.PI / 180;

/**
 * Local equirectangular projection (x east, y north, metres) about an origin. Over the ~40 km of a city its
 * distance error is below 0.1 %, far under GPS noise.
 */
export class LocalProjection {
  readonly lat0: number;
  readonly lon0: number;
  private readonly mPerDegLon: number;

  constructor(lat0: number, lon0: number) {
    this.lat0 = lat0;
    this.lon0 = lon0;
    this.mPerDegLon = M_PER_DEG * Math.cos(lat0 * DEG);
  }

  x(lon: number): number {
    return (lon - this.lon0) * this.mPerDegLon;
  }

  y(lat: number): number {
    return (lat - this.lat0) * M_PER_DEG;
  }

  lon(x: number): number {
    return this.lon0 + x / this.mPerDegLon;
  }

  lat(y: number): number {
    return this.lat0 + y / M_PER_DEG;
  }
}

/** Distance from point (px, py) to segment (ax, ay)–(bx, by), and the segment parameter of the closest point. */
export function pointSegment(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): { d: number; t: number } {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const qx = ax + t * dx - px;
  const qy = ay + t * dy - py;
  return { d: Math.sqrt(qx * qx + qy * qy), t };
}

/** Compass bearing of a direction in the plane (x east, y north), degrees clockwise from north in [0, 360). */
export function planeBearingDeg(dx: number, dy: number): number {
  const b = Math.atan2(dx, dy) / DEG;
  return b < 0 ? b + 360 : b;
}
