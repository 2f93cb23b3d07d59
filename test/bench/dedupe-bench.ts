import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { fmt, printTable } from './measure.js';
import { writeBenchCsv } from './telemetry-csv.js';

/** The bench CSV's day; a copy moved to another day overlaps nothing but has the same vehicles (intervals checked). */
const DAY = '2026-09-01';
const OTHER_DAY = '2026-09-03';

/** Rewrites `src` to `dst`, moving the rows from `fromLine` on (line 1 is the header) to another day. */
function shiftDay(src: string, dst: string, fromLine: number): void {
  const lines = fs.readFileSync(src, 'utf8').split('\n');
  for (let i = Math.max(1, fromLine); i < lines.length; i++) lines[i] = (lines[i] ?? '').replace(DAY, OTHER_DAY);
  fs.writeFileSync(dst, lines.join('\n'));
}

/**
 * The cost of the (vehicle, ts) duplicate check: a `fileRows` file ingested into a lake of `lakeRows` rows of the
 * same vehicles, overlapping nothing, half, or everything, against the same file into an empty lake.
 */
export async function benchDedupe(lakeRows: number, fileRows: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'avlog-bench-dedupe-'));
  try {
    const lakeCsv = path.join(dir, 'lake.csv');
    writeBenchCsv(lakeCsv, lakeRows, 50);
    const base = path.join(dir, 'base.csv');
    writeBenchCsv(base, fileRows, 50);
    const files = {
      nothing: path.join(dir, 'nothing.csv'),
      half: path.join(dir, 'half.csv'),
      everything: path.join(dir, 'everything.csv'),
    };
    shiftDay(base, files.nothing, 1);
    shiftDay(base, files.half, Math.floor(fileRows / 2) + 1);
    shiftDay(base, files.everything, Number.MAX_SAFE_INTEGER);
    const time = async (data: string, file: string) => {
      const t = performance.now();
      const s = await ingestPaths([file], { dataDir: data });
      return { seconds: (performance.now() - t) / 1000, stored: s.rows_stored };
    };
    const empty = await time(path.join(dir, 'empty-lake'), files.nothing);
    const rows: [string, string][] = [['into an empty lake', `${fmt(empty.seconds, 2)} s`]];
    for (const [name, file] of Object.entries(files)) {
      const data = path.join(dir, `lake-${name}`);
      await ingestPaths([lakeCsv], { dataDir: data });
      const r = await time(data, file);
      const extra = ((r.seconds - empty.seconds) / empty.seconds) * 100;
      rows.push([
        `overlapping ${name}`,
        `${fmt(r.seconds, 2)} s (${extra >= 0 ? '+' : ''}${fmt(extra, 1)} %), ${fmt(r.stored)} stored`,
      ]);
      fs.rmSync(data, { recursive: true, force: true });
    }
    printTable(`duplicate check: ${fmt(fileRows)}-row file into a ${fmt(lakeRows)}-row lake`, rows);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
