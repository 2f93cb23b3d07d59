import { receiveMessageOnPort, Worker, MessageChannel, type MessagePort } from 'node:worker_threads';
import { SourceError } from '../errors.js';
import type { IngestOptions } from '../options.js';
import type { Crs } from '../schema/vocab.js';
import type { SourceOutcome } from '../source-outcome.js';
import type { TrackState } from './vehicle-track.js';
import type { SampleIndexSpec } from '../lake/sample-index.js';
import { SCAN_COLUMN_NAMES, SCAN_COLUMNS, type ScanBlock } from './scan-columns.js';
import type { DictionaryLimits, ScanRun, ScanSource } from './scan-source.js';
import type { WorkerInput, WorkerMessage } from './worker-protocol.js';

/** A worker silent this long has died (it posts at least every block of 8192 rows). */
const STALL_MS = 120_000;

class Values {
  readonly values: string[] = [];
  get size(): number {
    return this.values.length;
  }
}

/** The worker's share of a source's outcome: its counts, time range and track end states. */
export type FeedStats = Required<
  Pick<
    SourceOutcome,
    'rowsIn' | 'rowsStored' | 'tsMinUs' | 'tsMaxUs' | 'quarantined' | 'byReason' | 'tracks' | 'coverage'
  >
>;

/**
 * The telemetry pipeline run in a worker thread, seen from the main thread as a ScanSource. DuckDB's table
 * function calls back on the main thread and must be answered synchronously, so blocks arrive through
 * receiveMessageOnPort, with Atomics.wait while the worker is still producing.
 */
export class WorkerFeed implements ScanSource {
  readonly companies = new Values();
  readonly vehicles = new Values();
  readonly ads = new Values();
  stats: FeedStats | null = null;
  crs: Crs = 'wgs84';
  onProgress: ((bytesRead: number, rowsIn: number) => void) | null = null;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  private block: ScanBlock | null = null;
  private rows = 0;
  private cursor = 0;
  private consumed = 0;
  private ended = false;

  constructor(
    filePath: string,
    file: string,
    sourceId: string,
    options: IngestOptions,
    quarantinePath: string,
    ingestedAt: Date,
    tracks: Record<string, TrackState>,
    index: SampleIndexSpec,
    samplesPath: string,
  ) {
    this.signal = new Int32Array(new SharedArrayBuffer(8));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const d = options.districts?.origin ?? null;
    const input: WorkerInput = {
      path: filePath,
      file,
      options: { ...options, districts: d, roads: options.roads?.origin ?? null },
      quarantinePath,
      sourceId,
      ingestedAt: ingestedAt.toISOString(),
      signal: this.signal,
      tracks,
      index,
      samplesPath,
      port: port2,
    };
    this.worker = new Worker(new URL('./telemetry-worker-boot.mjs', import.meta.url), {
      workerData: input,
      transferList: [port2],
    });
    // Delivered once the main thread is back in the event loop; a failed start is also posted on the port.
    this.worker.on('error', () => undefined);
  }

  prime(): void {
    while (this.block === null && !this.ended) this.receive();
  }

  get done(): boolean {
    return this.ended && this.cursor >= this.rows;
  }

  nextRun(max: number, limits: DictionaryLimits): ScanRun | null {
    while (this.cursor >= this.rows) {
      if (this.block) {
        this.block = null;
        this.consumed++;
        Atomics.store(this.signal, 1, this.consumed);
        Atomics.notify(this.signal, 1);
      }
      if (this.ended) return null;
      this.receive();
    }
    const b = this.block as ScanBlock;
    const start = this.cursor;
    const stop = Math.min(this.rows, start + max);
    let i = start;
    while (
      i < stop &&
      (b.company[i] as number) <= limits.companies &&
      (b.vehicle[i] as number) <= limits.vehicles &&
      (b.ads[i] as number) <= limits.ads
    )
      i++;
    if (i === start) return null;
    this.cursor = i;
    return { block: b, start, count: i - start };
  }

  private receive(): void {
    const started = Date.now();
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const got = receiveMessageOnPort(this.port);
      if (got) {
        this.handle(got.message as WorkerMessage);
        return;
      }
      if (Date.now() - started > STALL_MS) throw new Error(`telemetry worker sent nothing for ${STALL_MS / 1000} s`);
      Atomics.wait(this.signal, 0, seen, 200);
    }
  }

  private handle(m: WorkerMessage): void {
    if (m.type === 'ready') {
      this.crs = m.crs;
    } else if (m.type === 'block') {
      this.companies.values.push(...m.dict.companies);
      this.vehicles.values.push(...m.dict.vehicles);
      this.ads.values.push(...m.dict.ads);
      const block: Record<string, Float64Array | Uint32Array> = {};
      for (const c of SCAN_COLUMN_NAMES) {
        const buf = m.columns[c] as ArrayBuffer;
        block[c] = SCAN_COLUMNS[c] === 'f64' ? new Float64Array(buf) : new Uint32Array(buf);
      }
      this.block = block as ScanBlock;
      this.rows = m.rows;
      this.cursor = 0;
      this.onProgress?.(m.bytesRead, m.rowsIn);
    } else if (m.type === 'end') {
      this.ended = true;
      this.stats = {
        rowsIn: m.rowsIn,
        rowsStored: m.rowsStored,
        tsMinUs: m.tsMinUs,
        tsMaxUs: m.tsMaxUs,
        quarantined: m.quarantined,
        byReason: m.byReason,
        tracks: m.tracks,
        coverage: m.coverage,
      };
    } else {
      this.ended = true;
      if (m.sourceError) {
        throw new SourceError(m.sourceError.file, m.sourceError.position, m.sourceError.detail);
      }
      throw new Error(m.message);
    }
  }

  async close(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }
}
