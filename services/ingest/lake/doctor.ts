import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Catalog } from './catalog.js';
import { listDamaged, moveAside, parquetDefect, type DamagedFile } from './damaged.js';
import { LakeLock, describeHolder } from './lake-lock.js';
import { lakePaths, type LakePaths } from './paths.js';
import { recoverLake } from './recover-lake.js';
import { samplesFile } from './sample-index.js';
import { sqlString } from './sql.js';

/** One finding: what is wrong, where, and whether `--repair` fixed it. */
export interface Finding {
  check: 'missing_file' | 'unreadable_file' | 'orphan_file' | 'duplicate_samples' | 'staging' | 'sample_index' | 'lock';
  detail: string;
  repaired: boolean;
}

export interface DoctorReport {
  sources: number;
  files: number;
  telemetry_rows: number;
  findings: Finding[];
  damaged: DamagedFile[];
}

/**
 * Checks the lake against the catalog: every listed file present and readable, no lake file the catalog does not
 * list (an orphan), no (vehicle, ts) stored twice, no leftovers in staging, each telemetry source's sample-index
 * file present. `repair` runs recovery (finishes journalled commits, removes leftovers, moves unreadable files to
 * damaged/) and moves orphans aside to damaged/ too: nothing is deleted.
 */
export async function doctor(dataDir: string, o: { repair?: boolean } = {}): Promise<DoctorReport> {
  const paths = lakePaths(dataDir);
  const findings: Finding[] = [];
  if (o.repair) {
    const r = await recoverLake(dataDir);
    if (r.finished + r.removed > 0)
      findings.push({
        check: 'staging',
        detail: `finished ${r.finished} interrupted commit(s), removed ${r.removed} leftover(s)`,
        repaired: true,
      });
    for (const d of r.damaged)
      findings.push({ check: 'unreadable_file', detail: `${d.path}: ${d.error} → ${d.moved_to}`, repaired: true });
  } else {
    const holder = LakeLock.holder(paths);
    if (holder) findings.push({ check: 'lock', detail: `held by ${describeHolder(holder)}`, repaired: false });
    for (const id of fs.existsSync(paths.staging) ? fs.readdirSync(paths.staging) : [])
      if (id !== 'uploads' && !holder)
        findings.push({ check: 'staging', detail: `leftover staging/${id} (run --repair)`, repaired: false });
  }
  const entries = new Catalog(paths).list().filter((e) => e.status === 'ingested');
  const listed = new Set<string>();
  for (const e of entries) {
    for (const rel of e.files) {
      listed.add(path.normalize(rel));
      const abs = path.join(paths.lake, rel);
      if (!fs.existsSync(abs)) {
        const aside = listDamaged(paths).some((d) => d.path === rel);
        findings.push({
          check: 'missing_file',
          detail: `${rel} of ${e.file} (source ${e.source_id})${aside ? ' was moved to damaged/' : ' is missing'}`,
          repaired: false,
        });
        continue;
      }
      const defect = parquetDefect(abs);
      if (defect) {
        if (o.repair) moveAside(paths, rel, defect);
        findings.push({ check: 'unreadable_file', detail: `${rel}: ${defect}`, repaired: o.repair === true });
      }
    }
    if (e.coverage && !fs.existsSync(samplesFile(paths.samples, e.source_id)))
      findings.push({
        check: 'sample_index',
        detail: `${e.file} (source ${e.source_id}) has no sample-index file: its samples are not checked for duplicates`,
        repaired: false,
      });
  }
  for (const rel of lakeFiles(paths)) {
    if (listed.has(path.normalize(rel))) continue;
    if (o.repair) moveAside(paths, rel, 'orphan: no catalog entry lists this file');
    findings.push({ check: 'orphan_file', detail: `${rel} is in no catalog entry`, repaired: o.repair === true });
  }
  const { rows, duplicates } = await duplicateSamples(paths);
  if (duplicates.length)
    findings.push({
      check: 'duplicate_samples',
      detail: `${duplicates.length} (vehicle, ts) stored more than once, e.g. ${duplicates.slice(0, 3).join('; ')}`,
      repaired: false,
    });
  return { sources: entries.length, files: listed.size, telemetry_rows: rows, findings, damaged: listDamaged(paths) };
}

function lakeFiles(paths: LakePaths): string[] {
  if (!fs.existsSync(paths.lake)) return [];
  return fs
    .readdirSync(paths.lake, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.parquet'))
    .sort();
}

async function duplicateSamples(paths: LakePaths): Promise<{ rows: number; duplicates: string[] }> {
  const files = lakeFiles(paths)
    .filter((f) => f.startsWith(`telemetry${path.sep}`) && parquetDefect(path.join(paths.lake, f)) === null)
    .map((f) => sqlString(path.join(paths.lake, f)));
  if (!files.length) return { rows: 0, duplicates: [] };
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await instance.connect();
  try {
    const scan = `read_parquet([${files.join(', ')}], hive_partitioning = true, union_by_name = true)`;
    const total = (await c.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${scan}`)).getRowObjectsJson();
    const dup = (
      await c.runAndReadAll(
        `SELECT company_id || '/' || vehicle_id || ' at ' || strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') || ' ×' || n AS d
         FROM (SELECT company_id, vehicle_id, ts, count(*) AS n FROM ${scan} GROUP BY ALL HAVING count(*) > 1) ORDER BY d`,
      )
    ).getRowObjectsJson();
    return { rows: Number(total[0]?.n ?? 0), duplicates: dup.map((r) => String(r.d)) };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
