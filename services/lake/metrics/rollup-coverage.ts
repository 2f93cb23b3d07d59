import fs from 'node:fs';
import path from 'node:path';
import type { LakePaths } from '../../ingest/lake/paths.js';
import { ROLLUP_PARAMS } from '../../ingest/lake/rollup.js';
import type { Scope } from '../scope.js';
import type { MetricFilter } from './filters.js';

const DATE_DIR = /^date=(\d{4}-\d{2}-\d{2})$/u;
const SOURCE_FILE = /^part-([0-9a-f]{16})-.*\.parquet$/u;

function sourcesIn(dir: string): Set<string> {
  const out = new Set<string>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir)) {
    const s = SOURCE_FILE.exec(f)?.[1];
    if (s) out.add(s);
  }
  return out;
}

/**
 * Whether the rollup holds every source's telemetry in local dates `fromDate`…`toDate` (inclusive; null:
 * unbounded) of some companies (null: all): each telemetry partition's sources (file names start with the
 * source id) also wrote that partition's rollup. Read from the partition folders alone; a lake ingested before
 * rollups (or not yet backfilled) answers false and readers scan the telemetry.
 */
export function rollupCovers(
  paths: LakePaths,
  o: { fromDate: string | null; toDate: string | null; companies: readonly string[] | null },
): boolean {
  const telemetry = paths.table('telemetry');
  if (!fs.existsSync(telemetry)) return true;
  const rollup = paths.table('rollup');
  for (const d of fs.readdirSync(telemetry)) {
    const date = DATE_DIR.exec(d)?.[1];
    if (!date || (o.fromDate !== null && date < o.fromDate) || (o.toDate !== null && date > o.toDate)) continue;
    for (const c of fs.readdirSync(path.join(telemetry, d))) {
      if (!c.startsWith('company=')) continue;
      if (o.companies !== null && !o.companies.includes(decodeURIComponent(c.slice('company='.length)))) continue;
      const need = sourcesIn(path.join(telemetry, d, c));
      if (!need.size) continue;
      const have = sourcesIn(path.join(rollup, d, c));
      for (const s of need) if (!have.has(s)) return false;
    }
  }
  return true;
}

/** Local (Asia/Shanghai) date of an instant, as the filters' partition bounds. */
const localDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

/** An instant on a rollup bucket boundary (whole minutes): a time filter there selects whole rollup rows. */
export function onBucketBoundary(iso: string): boolean {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms % (ROLLUP_PARAMS.bucketS * 1000) === 0;
}

/**
 * Whether a query of `filter`, through `scope`, may read the rollup instead of the telemetry: its time bounds
 * are whole minutes and the rollup covers its dates and companies.
 */
export function rollupServes(paths: LakePaths, scope: Scope, filter: MetricFilter): boolean {
  if (
    (filter.from !== undefined && !onBucketBoundary(filter.from)) ||
    (filter.to !== undefined && !onBucketBoundary(filter.to))
  )
    return false;
  const companies = scope.company !== undefined ? [scope.company] : filter.company?.length ? filter.company : null;
  // A day more each side: DuckDB and Date.parse may read a bound without an offset in different zones.
  const day = (iso: string, d: number) => localDate(new Date(Date.parse(iso) + d * 86_400_000).toISOString());
  return rollupCovers(paths, {
    fromDate: filter.from !== undefined ? day(filter.from, -1) : null,
    toDate: filter.to !== undefined ? day(filter.to, 1) : null,
    companies,
  });
}
