import fs from 'node:fs';
import path from 'node:path';
import type { IngestOptions } from '../options.js';
import type { RawSource } from '../readers/raw-source.js';
import type { SourceOutcome } from '../source-outcome.js';
import { EventPipeline } from './event-pipeline.js';
import { QuarantineSink } from './quarantine-sink.js';

/** What the event pass over a recording staged. */
export interface RecordingEvents {
  /** Accepted event rows as JSON lines (for LakeWriter.writeEvents); absent when none were accepted. */
  readonly eventsPath: string | null;
  readonly rowsIn: number;
  readonly rowsStored: number;
  readonly quarantined: number;
  readonly byReason: ReadonlyMap<string, number>;
  readonly tsMinUs: number;
  readonly tsMaxUs: number;
}

/**
 * The events a recording (MCAP, ROS bag) logged on its event channels — `RawSource.events()`, a second pass over
 * the file after its telemetry — through the same EventPipeline as event CSVs: same validation, `origin =
 * logged`, rejected messages quarantined with their byte offset. Each message on an event channel is one record
 * in: stored as one event row or quarantined. The rejections are appended to the source's quarantine staging
 * file (`quarantinePath`, complete once the telemetry pass is done), so the source commits one quarantine.
 */
export function readRecordingEvents(
  events: RawSource,
  file: string,
  sourceId: string,
  options: IngestOptions,
  stagingDir: string,
  quarantinePath: string,
  ingestedAt: Date,
  onBatch: (rowsIn: number) => void,
): RecordingEvents {
  const ownQuarantine = path.join(stagingDir, 'quarantine-events.jsonl');
  const eventsPath = path.join(stagingDir, 'events.jsonl');
  const quarantine = new QuarantineSink(ownQuarantine, sourceId, file, ingestedAt);
  let pipeline: EventPipeline;
  try {
    pipeline = new EventPipeline(events, file, sourceId, options, quarantine);
    pipeline.run(eventsPath, () => onBatch(pipeline.stats.rowsIn));
  } finally {
    quarantine.close();
    events.close();
  }
  appendFile(ownQuarantine, quarantinePath);
  fs.rmSync(ownQuarantine, { force: true });
  const s = pipeline.stats;
  return {
    eventsPath: s.rowsStored > 0 ? eventsPath : null,
    rowsIn: s.rowsIn,
    rowsStored: s.rowsStored,
    quarantined: quarantine.count,
    byReason: quarantine.byReason,
    tsMinUs: s.tsMinUs,
    tsMaxUs: s.tsMaxUs,
  };
}

/** Adds the event pass's counts to the telemetry pass's outcome: rows_in = stored + quarantined still holds. */
export function withRecordingEvents(outcome: SourceOutcome, ev: RecordingEvents): SourceOutcome {
  const byReason = { ...outcome.byReason };
  for (const [reason, n] of ev.byReason) byReason[reason] = (byReason[reason] ?? 0) + n;
  return {
    ...outcome,
    rowsIn: outcome.rowsIn + ev.rowsIn,
    rowsStored: outcome.rowsStored + ev.rowsStored,
    quarantined: outcome.quarantined + ev.quarantined,
    byReason,
    tsMinUs: Math.min(outcome.tsMinUs, ev.tsMinUs),
    tsMaxUs: Math.max(outcome.tsMaxUs, ev.tsMaxUs),
  };
}

/** Appends `from` to `to` in 1 MiB pieces. */
function appendFile(from: string, to: string): void {
  const src = fs.openSync(from, 'r');
  const dst = fs.openSync(to, 'a');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n = fs.readSync(src, buf); n > 0; n = fs.readSync(src, buf)) fs.writeSync(dst, buf, 0, n);
  } finally {
    fs.closeSync(src);
    fs.closeSync(dst);
  }
}
