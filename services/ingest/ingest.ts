import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { detectEvents } from './detect/detect-events.js';
import type { SourceOutcome } from './source-outcome.js';
import { SourceError } from './errors.js';
import { Catalog, type CatalogEntry } from './lake/catalog.js';
import { LakeWriter } from './lake/lake-writer.js';
import { lakePaths, type LakePaths } from './lake/paths.js';
import { Staging } from './lake/staging.js';
import { DEFAULT_INGEST_OPTIONS, type IngestOptions } from './options.js';
import { EventPipeline } from './pipeline/event-pipeline.js';
import { QuarantineSink } from './pipeline/quarantine-sink.js';
import { readRecordingEvents, withRecordingEvents } from './pipeline/recording-events.js';
import { TelemetryPipeline } from './pipeline/telemetry-pipeline.js';
import { detectKind, LOG_EXTENSIONS, openSource } from './readers/open-source.js';
import { WorkerFeed } from './pipeline/worker-feed.js';
import { detectRegulatorFormat } from './regulators/detect.js';
import { readRegulatorSource } from './regulators/ingest-regulator.js';
import { TrackRegistry } from './pipeline/track-registry.js';
import { SampleIndex } from './lake/sample-index.js';
import { LakeLock } from './lake/lake-lock.js';

/** Telemetry files from this size up are read on a worker thread; below it, starting one costs more than it saves. */
const WORKER_MIN_BYTES = 32 << 20;

export type FileStatus = 'ingested' | 'already_ingested' | 'failed' | 'empty';

export interface FileSummary {
  file: string;
  path: string;
  status: FileStatus;
  source_id: string | null;
  sha256: string | null;
  format: string | null;
  kind: string | null;
  encoding: string | null;
  crs: string | null;
  bytes: number;
  rows_in: number;
  rows_stored: number;
  rows_quarantined: number;
  quarantine_by_reason: Record<string, number>;
  /** Events detected in the telemetry (harsh braking, speeding, …). */
  events_detected: number;
  error: string | null;
  seconds: number;
}

export interface IngestSummary {
  rows_in: number;
  rows_stored: number;
  rows_quarantined: number;
  files: FileSummary[];
  failed: number;
  /** Files that yielded nothing (status `empty`): a failure for exit codes and HTTP status too. */
  empty: number;
  seconds: number;
  peak_rss_mb: number;
}

export interface IngestProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  bytesDone: number;
  bytesTotal: number;
  rows: number;
  phase: 'hashing' | 'reading' | 'committing';
}

export type ProgressListener = (p: IngestProgress) => void;

/** Files named directly, and log files found under named folders, in a stable order. */
export function expandPaths(inputs: readonly string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    const stat = fs.statSync(input, { throwIfNoEntry: false });
    if (!stat) throw new SourceError(input, {}, 'no such file or folder');
    if (stat.isFile()) {
      out.push(input);
      continue;
    }
    const found = fs
      .readdirSync(input, { recursive: true, encoding: 'utf8' })
      .filter((f) => !path.basename(f).startsWith('.') && LOG_EXTENSIONS.some((e) => f.toLowerCase().endsWith(e)))
      .map((f) => path.join(input, f))
      .filter((f) => fs.statSync(f).isFile())
      .sort();
    out.push(...found);
  }
  return out;
}

async function sha256Of(file: string, onBytes: (n: number) => void): Promise<string> {
  const hash = crypto.createHash('sha256');
  let done = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    onBytes(done);
  }
  return hash.digest('hex');
}

/**
 * Ingests files and folders into the lake. Each source is all-or-nothing: its rows are staged, then published
 * with its catalog entry; a source whose content (sha256) is already in the catalog adds nothing. Every record
 * read is either stored or quarantined: rows_in = rows_stored + rows_quarantined, per file and in total.
 */
export async function ingestPaths(
  inputs: readonly string[],
  opts: Partial<IngestOptions> & { dataDir: string; onWait?: (message: string) => void; purpose?: string },
  onProgress?: ProgressListener,
): Promise<IngestSummary> {
  const { onWait, purpose, ...rest } = opts;
  const options: IngestOptions = { ...DEFAULT_INGEST_OPTIONS, ...rest };
  const started = performance.now();
  const paths = lakePaths(options.dataDir);
  fs.mkdirSync(paths.lake, { recursive: true });
  // One writer per lake: everything below (recovery, the catalog and sample index as read, staging) is ours alone.
  const lock = await LakeLock.acquire(paths, purpose ?? `avlog ingest`, onWait ? { onWait } : {});
  try {
    return await ingestLocked(inputs, options, paths, lock.token, started, onProgress);
  } finally {
    lock.release();
  }
}

async function ingestLocked(
  inputs: readonly string[],
  options: IngestOptions,
  paths: LakePaths,
  token: string,
  started: number,
  onProgress: ProgressListener | undefined,
): Promise<IngestSummary> {
  Staging.recover(paths);
  const files = expandPaths(inputs);
  const registry = new TrackRegistry();
  const index = new SampleIndex({ dir: paths.samples, sources: [] });
  for (const entry of new Catalog(paths).list()) {
    if (entry.status !== 'ingested') continue;
    if (entry.tracks) registry.record(entry.tracks);
    if (entry.coverage) index.add({ source_id: entry.source_id, file: entry.file, coverage: entry.coverage });
  }
  const tempDir = path.join(paths.staging, `.duckdb-tmp-${process.pid}`);
  fs.mkdirSync(tempDir, { recursive: true });
  const writer = await LakeWriter.open(tempDir);
  const summaries: FileSummary[] = [];
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i] as string;
      summaries.push(
        await ingestOne(file, i, files.length, options, paths, token, writer, registry, index, onProgress),
      );
    }
  } finally {
    writer.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
  const sum = (k: 'rows_in' | 'rows_stored' | 'rows_quarantined') => summaries.reduce((a, s) => a + s[k], 0);
  return {
    rows_in: sum('rows_in'),
    rows_stored: sum('rows_stored'),
    rows_quarantined: sum('rows_quarantined'),
    files: summaries,
    failed: summaries.filter((s) => s.status === 'failed').length,
    empty: summaries.filter((s) => s.status === 'empty').length,
    seconds: (performance.now() - started) / 1000,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

async function ingestOne(
  file: string,
  fileIndex: number,
  fileCount: number,
  options: IngestOptions,
  paths: LakePaths,
  token: string,
  writer: LakeWriter,
  registry: TrackRegistry,
  index: SampleIndex,
  onProgress: ProgressListener | undefined,
): Promise<FileSummary> {
  const started = performance.now();
  const name = path.basename(file);
  const bytes = fs.statSync(file).size;
  const summary: FileSummary = {
    file: name,
    path: file,
    status: 'failed',
    source_id: null,
    sha256: null,
    format: null,
    kind: null,
    encoding: null,
    crs: null,
    bytes,
    rows_in: 0,
    rows_stored: 0,
    rows_quarantined: 0,
    quarantine_by_reason: {},
    events_detected: 0,
    error: null,
    seconds: 0,
  };
  const report = (phase: IngestProgress['phase'], bytesDone: number, rows: number) =>
    onProgress?.({ file: name, fileIndex, fileCount, bytesDone, bytesTotal: bytes, rows, phase });
  const finish = () => {
    summary.seconds = (performance.now() - started) / 1000;
    return summary;
  };

  const sha256 = await sha256Of(file, (n) => report('hashing', n, 0));
  const sourceId = sha256.slice(0, 16);
  summary.sha256 = sha256;
  summary.source_id = sourceId;
  const catalog = new Catalog(paths);
  const previous = catalog.get(sha256);
  if (previous?.status === 'ingested') {
    Object.assign(summary, {
      status: 'already_ingested',
      format: previous.format,
      kind: previous.kind,
      encoding: previous.encoding,
      crs: previous.crs,
    });
    return finish();
  }
  const staging = Staging.claim(paths, sourceId, token);
  const ingestedAt = new Date();
  try {
    const outcome = await readSource(
      file,
      name,
      sourceId,
      options,
      staging,
      writer,
      registry,
      index,
      ingestedAt,
      (b, rows) => report('reading', b, rows),
    );
    Object.assign(summary, { format: outcome.format, kind: outcome.kind, encoding: outcome.encoding });
    report('committing', bytes, outcome.rowsIn);
    if (outcome.rowsIn !== outcome.rowsStored + outcome.quarantined) {
      throw new Error(
        `internal accounting error: ${outcome.rowsIn} in, ${outcome.rowsStored} stored, ${outcome.quarantined} quarantined`,
      );
    }
    if (outcome.rowsStored === 0 && !outcome.byReason.duplicate_sample) {
      staging.discard();
      const message = emptyMessage(name, outcome);
      Object.assign(summary, {
        status: 'empty',
        error: message,
        rows_in: outcome.rowsIn,
        rows_quarantined: outcome.quarantined,
        quarantine_by_reason: outcome.byReason,
      });
      catalog.put({
        ...failedEntry(sourceId, sha256, name, bytes, summary, options, ingestedAt, message),
        status: 'empty',
        rows_in: outcome.rowsIn,
        rows_quarantined: outcome.quarantined,
        quarantine_by_reason: outcome.byReason,
      });
      return finish();
    }
    const entry: CatalogEntry = {
      source_id: sourceId,
      sha256,
      file: name,
      bytes,
      format: outcome.format,
      kind: outcome.kind,
      encoding: outcome.encoding,
      crs: outcome.crs,
      status: 'ingested',
      error: null,
      rows_in: outcome.rowsIn,
      rows_stored: outcome.rowsStored,
      rows_quarantined: outcome.quarantined,
      quarantine_by_reason: outcome.byReason,
      events_detected: outcome.detected ?? 0,
      ts_min: Number.isFinite(outcome.tsMinUs) ? new Date(outcome.tsMinUs / 1000).toISOString() : null,
      ts_max: Number.isFinite(outcome.tsMaxUs) ? new Date(outcome.tsMaxUs / 1000).toISOString() : null,
      ingested_at: ingestedAt.toISOString(),
      files: staging.stagedFiles(),
      ...(outcome.tracks ? { tracks: outcome.tracks } : {}),
      ...(outcome.coverage ? { coverage: outcome.coverage } : {}),
    };
    staging.commit(entry);
    if (outcome.tracks) registry.record(outcome.tracks);
    if (outcome.coverage) index.add({ source_id: sourceId, file: name, coverage: outcome.coverage });
    Object.assign(summary, {
      status: 'ingested',
      crs: outcome.crs,
      rows_in: outcome.rowsIn,
      rows_stored: outcome.rowsStored,
      rows_quarantined: outcome.quarantined,
      quarantine_by_reason: outcome.byReason,
      events_detected: outcome.detected ?? 0,
    });
  } catch (e) {
    staging.discard();
    const message = e instanceof SourceError ? e.message : `${name}: ${(e as Error).message}`;
    summary.status = 'failed';
    summary.error = message;
    catalog.put(failedEntry(sourceId, sha256, name, bytes, summary, options, ingestedAt, message));
  }
  return finish();
}

/** The catalog entry of a source that left nothing in the lake (failed, or empty), so it is not "already ingested". */
function failedEntry(
  sourceId: string,
  sha256: string,
  name: string,
  bytes: number,
  summary: FileSummary,
  options: IngestOptions,
  ingestedAt: Date,
  message: string,
): CatalogEntry {
  return {
    source_id: sourceId,
    sha256,
    file: name,
    bytes,
    format: (summary.format ?? 'csv') as CatalogEntry['format'],
    kind: (summary.kind ?? 'telemetry') as CatalogEntry['kind'],
    encoding: summary.encoding,
    crs: options.crs,
    status: 'failed',
    error: message,
    rows_in: 0,
    rows_stored: 0,
    rows_quarantined: 0,
    quarantine_by_reason: {},
    events_detected: 0,
    ts_min: null,
    ts_max: null,
    ingested_at: ingestedAt.toISOString(),
    files: [],
  };
}

function emptyMessage(name: string, o: SourceOutcome): string {
  const reasons = Object.entries(o.byReason)
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
  const read = `${o.rowsIn} record(s) read${o.quarantined ? `, all quarantined (${reasons})` : ''}`;
  return `${name}: no telemetry and no events in this ${o.format} file: ${read}${o.described ? `; ${o.described}` : ''}`;
}

/** Reads one source into its staging workspace: telemetry or events Parquet, plus quarantine Parquet. */
async function readSource(
  file: string,
  name: string,
  sourceId: string,
  options: IngestOptions,
  staging: Staging,
  writer: LakeWriter,
  registry: TrackRegistry,
  index: SampleIndex,
  ingestedAt: Date,
  progress: (bytesRead: number, rowsIn: number) => void,
): Promise<SourceOutcome> {
  const qPath = path.join(staging.dir, 'quarantine.jsonl');
  const probe = openSource(file, name, options.encoding);
  // Regulator files (CA DMV mileage and disengagement reports, NHTSA SGO crash reports) are told by their header.
  const regulator = probe.format === 'csv' ? detectRegulatorFormat(probe.columns) : null;
  if (regulator) {
    probe.close();
    return readRegulatorSource(regulator, file, name, sourceId, options, staging, writer, ingestedAt, progress);
  }
  const kind = options.kind ?? detectKind(probe, name);
  const base = { format: probe.format, kind, encoding: probe.encoding };
  const bytes = probe.bytesTotal;
  let outcome: SourceOutcome;
  if (kind === 'telemetry' && bytes >= WORKER_MIN_BYTES) {
    // Big files are read and validated on a worker thread, so that this work overlaps DuckDB's encoding.
    probe.close();
    const feed = new WorkerFeed(
      file,
      name,
      sourceId,
      options,
      qPath,
      ingestedAt,
      registry.toJSON(),
      index.spec(),
      staging.samplesPath,
    );
    try {
      feed.onProgress = progress;
      await writer.writeTelemetry(feed, staging, sourceId, options.districts?.names ?? []);
    } finally {
      await feed.close();
    }
    const s = feed.stats;
    if (!s) throw new Error('telemetry worker ended without its totals');
    outcome = { ...base, crs: feed.crs, ...s };
  } else {
    const quarantine = new QuarantineSink(qPath, sourceId, name, ingestedAt);
    try {
      if (kind === 'telemetry') {
        const pipeline = new TelemetryPipeline(probe, name, options, quarantine, registry, index);
        pipeline.onBatch = () => progress(probe.bytesRead(), pipeline.stats.rowsIn);
        await writer.writeTelemetry(pipeline, staging, sourceId, options.districts?.names ?? []);
        const coverage = pipeline.writeSamples(staging.samplesPath);
        outcome = {
          ...base,
          crs: pipeline.sourceCrs,
          ...pipeline.stats,
          quarantined: quarantine.count,
          byReason: Object.fromEntries(quarantine.byReason),
          tracks: pipeline.trackStates(),
          coverage,
          ...(probe.describe ? { described: probe.describe() } : {}),
        };
      } else {
        const pipeline = new EventPipeline(probe, name, sourceId, options, quarantine);
        const eventsPath = path.join(staging.dir, 'events.jsonl');
        pipeline.run(eventsPath, () => progress(probe.bytesRead(), pipeline.stats.rowsIn));
        if (pipeline.stats.rowsStored > 0) await writer.writeEvents(eventsPath, staging, sourceId);
        outcome = {
          ...base,
          crs: pipeline.sourceCrs,
          ...pipeline.stats,
          quarantined: quarantine.count,
          byReason: Object.fromEntries(quarantine.byReason),
        };
      }
    } finally {
      quarantine.close();
      probe.close();
    }
  }
  // Recordings (MCAP, bags) also log events: a second pass over the file, on this thread, after the telemetry's.
  const samplesStored = outcome.rowsStored;
  const recorded = kind === 'telemetry' ? (probe.events?.() ?? null) : null;
  if (recorded) {
    const ev = readRecordingEvents(recorded, name, sourceId, options, staging.dir, qPath, ingestedAt, (rows) =>
      progress(bytes, outcome.rowsIn + rows),
    );
    if (ev.eventsPath !== null) await writer.writeEvents(ev.eventsPath, staging, sourceId);
    outcome = withRecordingEvents(outcome, ev);
  }
  if (outcome.quarantined > 0) await writer.writeQuarantine(qPath, staging, sourceId);
  if (kind === 'telemetry' && samplesStored > 0) {
    outcome.detected = await detectEvents(writer.sql, {
      telemetryDir: staging.tableDir('telemetry'),
      eventsDir: staging.tableDir('events'),
      sourceId,
    });
  }
  return outcome;
}
