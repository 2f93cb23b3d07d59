import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SourceError } from './errors.js';
import { Catalog, type CatalogEntry } from './lake/catalog.js';
import { LakeWriter } from './lake/lake-writer.js';
import { lakePaths, type LakePaths } from './lake/paths.js';
import { Staging } from './lake/staging.js';
import { DEFAULT_INGEST_OPTIONS, type IngestOptions } from './options.js';
import { EventPipeline } from './pipeline/event-pipeline.js';
import { QuarantineSink } from './pipeline/quarantine-sink.js';
import { TelemetryPipeline } from './pipeline/telemetry-pipeline.js';
import { detectKind, LOG_EXTENSIONS, openSource } from './readers/open-source.js';
import type { RawSource } from './readers/raw-source.js';
import type { Crs } from './schema/vocab.js';

export type FileStatus = 'ingested' | 'already_ingested' | 'failed' | 'busy';

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
  error: string | null;
  seconds: number;
}

export interface IngestSummary {
  rows_in: number;
  rows_stored: number;
  rows_quarantined: number;
  files: FileSummary[];
  failed: number;
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
export async function ingestPaths(inputs: readonly string[], opts: Partial<IngestOptions> & { dataDir: string }, onProgress?: ProgressListener): Promise<IngestSummary> {
  const options: IngestOptions = { ...DEFAULT_INGEST_OPTIONS, ...opts };
  const started = performance.now();
  const paths = lakePaths(options.dataDir);
  fs.mkdirSync(paths.lake, { recursive: true });
  Staging.recover(paths);
  const files = expandPaths(inputs);
  const tempDir = path.join(paths.staging, `.duckdb-tmp-${process.pid}`);
  fs.mkdirSync(tempDir, { recursive: true });
  const writer = await LakeWriter.open(tempDir);
  const summaries: FileSummary[] = [];
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i] as string;
      summaries.push(await ingestOne(file, i, files.length, options, paths, writer, onProgress));
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
  writer: LakeWriter,
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
  const staging = Staging.claim(paths, sourceId);
  if (!staging) {
    summary.status = 'busy';
    summary.error = 'another process is ingesting this content right now';
    return finish();
  }
  const ingestedAt = new Date();
  let source: RawSource | null = null;
  let quarantine: QuarantineSink | null = null;
  try {
    source = openSource(file, name, options.encoding);
    const kind = options.kind ?? detectKind(source, name);
    summary.format = source.format;
    summary.kind = kind;
    summary.encoding = source.encoding;
    const qPath = path.join(staging.dir, 'quarantine.jsonl');
    quarantine = new QuarantineSink(qPath, sourceId, name, ingestedAt);
    let crs: Crs;
    let stats: { rowsIn: number; rowsStored: number; tsMinUs: number; tsMaxUs: number };
    const src = source;
    if (kind === 'telemetry') {
      const pipeline = new TelemetryPipeline(src, name, options, quarantine);
      pipeline.onBatch = () => report('reading', src.bytesRead(), pipeline.stats.rowsIn);
      crs = pipeline.sourceCrs;
      await writer.writeTelemetry(pipeline, staging, sourceId, options.districts?.names ?? []);
      stats = pipeline.stats;
    } else {
      const pipeline = new EventPipeline(src, name, sourceId, options, quarantine);
      crs = options.crs;
      const eventsPath = path.join(staging.dir, 'events.jsonl');
      pipeline.run(eventsPath, () => report('reading', src.bytesRead(), pipeline.stats.rowsIn));
      if (pipeline.stats.rowsStored > 0) await writer.writeEvents(eventsPath, staging, sourceId);
      stats = pipeline.stats;
    }
    quarantine.close();
    if (quarantine.count > 0) await writer.writeQuarantine(qPath, staging, sourceId);
    report('committing', bytes, stats.rowsIn);
    if (stats.rowsIn !== stats.rowsStored + quarantine.count) {
      throw new Error(`internal accounting error: ${stats.rowsIn} in, ${stats.rowsStored} stored, ${quarantine.count} quarantined`);
    }
    const byReason = Object.fromEntries(quarantine.byReason);
    const entry: CatalogEntry = {
      source_id: sourceId,
      sha256,
      file: name,
      bytes,
      format: source.format,
      kind,
      encoding: source.encoding,
      crs,
      status: 'ingested',
      error: null,
      rows_in: stats.rowsIn,
      rows_stored: stats.rowsStored,
      rows_quarantined: quarantine.count,
      quarantine_by_reason: byReason,
      ts_min: Number.isFinite(stats.tsMinUs) ? new Date(stats.tsMinUs / 1000).toISOString() : null,
      ts_max: Number.isFinite(stats.tsMaxUs) ? new Date(stats.tsMaxUs / 1000).toISOString() : null,
      ingested_at: ingestedAt.toISOString(),
      files: staging.stagedFiles(),
    };
    staging.commit(entry);
    Object.assign(summary, {
      status: 'ingested',
      crs,
      rows_in: stats.rowsIn,
      rows_stored: stats.rowsStored,
      rows_quarantined: quarantine.count,
      quarantine_by_reason: byReason,
    });
  } catch (e) {
    staging.discard();
    const message = e instanceof SourceError ? e.message : `${name}: ${(e as Error).message}`;
    summary.status = 'failed';
    summary.error = message;
    summary.rows_in = summary.rows_stored = summary.rows_quarantined = 0;
    catalog.put({
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
      ts_min: null,
      ts_max: null,
      ingested_at: ingestedAt.toISOString(),
      files: [],
    });
  } finally {
    quarantine?.close();
    source?.close();
  }
  return finish();
}
