import fs from 'node:fs';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { UsageError } from '../../core/usage-error.js';

/** Name properties tried in order when the file's is not given (Shenzhen's open data uses `qh`, 区划). */
const NAME_KEYS = ['name', 'qh', 'NAME', 'district', 'Name'];

export interface NamedDistrict {
  readonly name: string;
  readonly geometry: Polygon | MultiPolygon;
}

/**
 * The named polygons of a user's district GeoJSON (WGS-84, `--districts FILE`, property `property` or the first of
 * `NAME_KEYS` a feature has): every Polygon and MultiPolygon feature, in file order. Throws a UsageError naming the
 * file (and the feature) when it is not GeoJSON, a feature has no name, or there is no polygon at all.
 */
export function readDistricts(file: string, property?: string): NamedDistrict[] {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/u, ''));
  } catch (e) {
    throw new UsageError(`--districts ${file}: not readable GeoJSON (${(e as Error).message})`, { cause: e });
  }
  const features = (doc as { features?: unknown }).features;
  if (!Array.isArray(features)) throw new UsageError(`--districts ${file}: not a GeoJSON FeatureCollection`);
  const out: NamedDistrict[] = [];
  features.forEach((f: Feature, i: number) => {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return;
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const key = property ?? NAME_KEYS.find((k) => typeof props[k] === 'string');
    const name = key === undefined ? undefined : props[key];
    if (typeof name !== 'string' || !name)
      throw new UsageError(`--districts ${file}: feature ${i} has no name property${property ? ` "${property}"` : ''}`);
    out.push({ name, geometry: g });
  });
  if (!out.length) throw new UsageError(`--districts ${file}: no Polygon or MultiPolygon features`);
  return out;
}
