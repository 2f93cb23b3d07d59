import fs from 'node:fs';
import path from 'node:path';
import type { LakePaths } from '../ingest/lake/paths.js';

/** A lake data file, from its Hive path: `<table>/date=<d>/company=<c>/part-<source_id>-….parquet`. */
export interface LakeFile {
  table: 'telemetry' | 'events';
  date: string;
  company: string;
  source_id: string;
}

/**
 * The telemetry and event files of local dates `fromDate`…`toDate` (inclusive; null: unbounded) for some companies
 * (null: all), read from the partition folders alone — no file is opened. File names start with the source id
 * (`part-<source_id>-…`), so this is the exact set of sources that contributed rows to those partitions.
 */
export function lakeFiles(
  paths: LakePaths,
  o: { fromDate: string | null; toDate: string | null; companies: readonly string[] | null },
): LakeFile[] {
  const out: LakeFile[] = [];
  for (const table of ['telemetry', 'events'] as const) {
    const root = paths.table(table);
    if (!fs.existsSync(root)) continue;
    for (const d of fs.readdirSync(root)) {
      const date = /^date=(\d{4}-\d{2}-\d{2})$/u.exec(d)?.[1];
      if (!date || (o.fromDate !== null && date < o.fromDate) || (o.toDate !== null && date > o.toDate)) continue;
      for (const c of fs.readdirSync(path.join(root, d))) {
        const company = c.startsWith('company=') ? decodeURIComponent(c.slice('company='.length)) : null;
        if (company === null || (o.companies !== null && !o.companies.includes(company))) continue;
        for (const f of fs.readdirSync(path.join(root, d, c))) {
          const source = /^part-([0-9a-f]{16})-/u.exec(f)?.[1];
          if (source && f.endsWith('.parquet')) out.push({ table, date, company, source_id: source });
        }
      }
    }
  }
  return out;
}
