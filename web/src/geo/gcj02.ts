/**
 * WGS-84 → GCJ-02, the datum AMap and Tencent tiles are drawn in (≈ 600 m off in Shenzhen). Our data stays
 * WGS-84; this shifts it only for drawing on such tiles. The published forward formula (Krasovsky ellipsoid).
 */
const A = 6378245.0;
const EE = 0.00669342162296594323;

function outOfChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function transformLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** [lon, lat] WGS-84 → GCJ-02 (unchanged outside China, where GCJ-02 does not apply). */
export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (outOfChina(lon, lat)) return [lon, lat];
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (transformLat(lon - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (transformLon(lon - 105, lat - 35) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** Interleaved offsets from `origin`, shifted to GCJ-02 and kept as offsets from the same origin. */
export function shiftOffsets(positions: Float32Array, origin: readonly [number, number]): Float32Array {
  const out = new Float32Array(positions.length);
  const [lon0, lat0] = origin;
  for (let i = 0; i < positions.length; i += 2) {
    const [lon, lat] = wgs84ToGcj02(lon0 + (positions[i] as number), lat0 + (positions[i + 1] as number));
    out[i] = lon - lon0;
    out[i + 1] = lat - lat0;
  }
  return out;
}

/** Interleaved absolute [lon, lat] pairs shifted to GCJ-02. */
export function shiftPairs(positions: Float64Array): Float64Array {
  const out = new Float64Array(positions.length);
  for (let i = 0; i < positions.length; i += 2) {
    const [lon, lat] = wgs84ToGcj02(positions[i] as number, positions[i + 1] as number);
    out[i] = lon;
    out[i + 1] = lat;
  }
  return out;
}

type Coordinates = number[] | Coordinates[];

/** Every coordinate of a GeoJSON geometry's `coordinates`, shifted to GCJ-02. */
export function shiftCoordinates<T extends Coordinates>(c: T): T {
  if (typeof c[0] === 'number') {
    const [lon, lat] = wgs84ToGcj02(c[0], c[1] as number);
    return [lon, lat, ...(c as number[]).slice(2)] as T;
  }
  return (c as Coordinates[]).map((x) => shiftCoordinates(x)) as T;
}
