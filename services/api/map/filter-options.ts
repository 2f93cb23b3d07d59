import type { LakeRepository } from '../../lake/repository.js';
import { isPublic, type Scope } from '../../lake/scope.js';
import { IS_INCIDENT_SQL } from '../../lake/metrics/vocabulary-sql.js';
import { PUBLIC_VIEW, snapOutward } from './public-view.js';

/** What the map's filter controls can offer: the values present in the caller's part of the lake (for a public caller: no vehicles, the extent in whole grid cells). */
export interface FilterOptions {
  companies: { id: string; vehicles: number }[];
  vehicles: { id: string; company: string }[];
  modes: string[];
  kinds: { kind: string; count: number }[];
  /** Districts incidents happened in, and ADS versions logged (for the incident list's filters). */
  districts: string[];
  ads_versions: string[];
  /** Local (Asia/Shanghai) dates of the first and last sample, or null on an empty lake. */
  dates: { from: string; to: string } | null;
  /** [minLon, minLat, maxLon, maxLat] of all samples, or null. */
  bbox: [number, number, number, number] | null;
}

export async function filterOptions(repo: LakeRepository, scope: Scope): Promise<FilterOptions> {
  const rows = await repo.query(
    scope,
    `SELECT company_id, vehicle_id, list(DISTINCT mode ORDER BY mode) AS modes, list(DISTINCT ads_version) AS ads,
       strftime(min(local_date), '%Y-%m-%d') AS d0, strftime(max(local_date), '%Y-%m-%d') AS d1,
       min(lon) AS min_lon, min(lat) AS min_lat, max(lon) AS max_lon, max(lat) AS max_lat
     FROM telemetry GROUP BY ALL ORDER BY company_id, vehicle_id`,
  );
  const kinds = await repo.query(
    scope,
    `SELECT kind, count(*) AS count FROM events WHERE ${IS_INCIDENT_SQL} AND lon IS NOT NULL GROUP BY kind ORDER BY count DESC, kind`,
  );
  const districts = await repo.query(
    scope,
    `SELECT DISTINCT district FROM events WHERE ${IS_INCIDENT_SQL} AND district IS NOT NULL ORDER BY district`,
  );
  const all = rows.map((r) => ({ id: String(r.vehicle_id), company: String(r.company_id) }));
  const companies = new Map<string, number>();
  for (const v of all) companies.set(v.company, (companies.get(v.company) ?? 0) + 1);
  const coarse = isPublic(scope);
  const modes = new Set(rows.flatMap((r) => (r.modes as string[]) ?? []));
  const least = (k: string) => Math.min(...rows.map((r) => Number(r[k])));
  const most = (k: string) => Math.max(...rows.map((r) => Number(r[k])));
  const extent: [number, number, number, number] = [
    least('min_lon'),
    least('min_lat'),
    most('max_lon'),
    most('max_lat'),
  ];
  const dates = rows.flatMap((r) => [String(r.d0), String(r.d1)]).sort();
  return {
    companies: [...companies].map(([id, n]) => ({ id, vehicles: n })),
    vehicles: coarse ? [] : all,
    modes: [...modes].sort(),
    kinds: kinds.map((k) => ({ kind: String(k.kind), count: Number(k.count) })),
    districts: coarse ? [] : districts.map((d) => String(d.district)),
    ads_versions: [...new Set(rows.flatMap((r) => (r.ads as (string | null)[] | null) ?? []))]
      .filter((v): v is string => v !== null)
      .sort(),
    dates: rows.length ? { from: dates[0] as string, to: dates[dates.length - 1] as string } : null,
    bbox: !rows.length ? null : coarse ? snapOutward(extent, PUBLIC_VIEW.cellDeg) : extent,
  };
}
