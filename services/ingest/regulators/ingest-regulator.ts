import type { SourceOutcome } from '../source-outcome.js';
import path from 'node:path';
import type { LakeWriter } from '../lake/lake-writer.js';
import type { Staging } from '../lake/staging.js';
import type { IngestOptions } from '../options.js';
import { QuarantineSink } from '../pipeline/quarantine-sink.js';
import { readDmvDisengagements } from './ca-dmv-disengagement.js';
import { readDmvMileage } from './ca-dmv-mileage.js';
import type { RegulatorFormat } from './detect.js';
import { JsonLines } from './json-lines.js';
import { readSgo } from './nhtsa-sgo.js';
import type { ReadContext, ReadStats } from './read-context.js';
import { RegulatorCsv, regulatorEncoding } from './records.js';

/** What `readSource` reports for a source (the same shape as for road-test logs). */
export type RegulatorOutcome = SourceOutcome & { format: RegulatorFormat; encoding: string };

/**
 * Reads a regulator file into its staging workspace: mileage → `mileage` Parquet, disengagements and crashes
 * → imported `events`, rejected rows → quarantine. Commit and catalog are the caller's, as for any source, so a
 * regulator file is ingested all-or-nothing and only once per content.
 */
export async function readRegulatorSource(
  format: RegulatorFormat,
  file: string,
  name: string,
  sourceId: string,
  options: IngestOptions,
  staging: Staging,
  writer: LakeWriter,
  ingestedAt: Date,
  progress: (bytesRead: number, rowsIn: number) => void,
): Promise<RegulatorOutcome> {
  const encoding = regulatorEncoding(file, options.encoding);
  const open = () => new RegulatorCsv(file, name, encoding);
  const qPath = path.join(staging.dir, 'quarantine.jsonl');
  const quarantine = new QuarantineSink(qPath, sourceId, name, ingestedAt);
  const rowsPath = path.join(staging.dir, format === 'ca-dmv-mileage' ? 'mileage.jsonl' : 'events.jsonl');
  const rows = new JsonLines(rowsPath);
  const ctx: ReadContext = { name, sourceId, quarantine, progress };
  let stats: ReadStats;
  try {
    if (format === 'ca-dmv-mileage') {
      const csv = open();
      try {
        stats = readDmvMileage(csv, ctx, rows);
      } finally {
        csv.close();
      }
    } else if (format === 'ca-dmv-disengagement') {
      stats = readDmvDisengagements(open, ctx, rows);
    } else {
      stats = readSgo(open, ctx, rows);
    }
  } finally {
    rows.close();
    quarantine.close();
  }
  if (stats.rowsStored > 0) {
    if (format === 'ca-dmv-mileage') await writer.writeMileage(rowsPath, staging, sourceId);
    else {
      // A year of reports lands in hundreds of (date, company) partitions with a few rows each (893 for the
      // DMV's 2021 file). DuckDB buffers every partition it has seen until it flushes, every 524,288 rows by
      // default: with this many partitions that outgrows the writer's 512 MB, so flush every 256 rows here.
      await writer.sql.run('SET partitioned_write_flush_threshold = 256');
      try {
        await writer.writeEvents(rowsPath, staging, sourceId);
      } finally {
        await writer.sql.run('RESET partitioned_write_flush_threshold');
      }
    }
  }
  if (quarantine.count > 0) await writer.writeQuarantine(qPath, staging, sourceId);
  return {
    format,
    kind: format === 'ca-dmv-mileage' ? 'telemetry' : 'events',
    encoding,
    crs: 'wgs84',
    rowsIn: stats.rowsIn,
    rowsStored: stats.rowsStored,
    tsMinUs: stats.tsMinUs,
    tsMaxUs: stats.tsMaxUs,
    quarantined: quarantine.count,
    byReason: Object.fromEntries(quarantine.byReason),
  };
}
