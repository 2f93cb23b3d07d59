import { workerData } from 'node:worker_threads';
import { SourceError } from '../errors.js';
import { DistrictIndex } from '../../reference/districts/district-index.js';
import { RoadLimits } from '../../reference/roads/road-limits.js';
import { openSource } from '../readers/open-source.js';
import { QuarantineSink } from './quarantine-sink.js';
import { SCAN_COLUMN_NAMES } from './scan-columns.js';
import { TelemetryPipeline } from './telemetry-pipeline.js';
import { TrackRegistry } from './track-registry.js';
import { SampleIndex } from '../lake/sample-index.js';
import { MAX_IN_FLIGHT, type WorkerInput, type WorkerMessage } from './worker-protocol.js';

/** Runs reading, validation and derivation on its own core while DuckDB encodes on the others. */
function run(input: WorkerInput): void {
  const { signal, port } = input;
  const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => {
    port.postMessage(m, transfer);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  const quarantine = new QuarantineSink(input.quarantinePath, input.sourceId, input.file, new Date(input.ingestedAt));
  const source = openSource(input.path, input.file, input.options.encoding);
  try {
    const d = input.options.districts;
    const r = input.options.roads;
    const options = {
      ...input.options,
      districts: d ? DistrictIndex.fromFile(d.path, d.property) : null,
      roads: r ? RoadLimits.load(r) : null,
    };
    const registry = new TrackRegistry();
    registry.record(input.tracks);
    const pipeline = new TelemetryPipeline(
      source,
      input.file,
      options,
      quarantine,
      registry,
      new SampleIndex(input.index),
    );
    post({ type: 'ready', crs: pipeline.sourceCrs });
    const sent = { companies: 0, vehicles: 0, ads: 0 };
    let posted = 0;
    for (let taken = pipeline.takeBlock(); taken !== null; taken = pipeline.takeBlock()) {
      while (posted - Atomics.load(signal, 1) >= MAX_IN_FLIGHT) Atomics.wait(signal, 1, Atomics.load(signal, 1), 100);
      const columns: Record<string, ArrayBuffer> = {};
      for (const c of SCAN_COLUMN_NAMES) columns[c] = taken.block[c].buffer as ArrayBuffer;
      const dict = {
        companies: pipeline.companies.values.slice(sent.companies),
        vehicles: pipeline.vehicles.values.slice(sent.vehicles),
        ads: pipeline.ads.values.slice(sent.ads),
      };
      sent.companies = pipeline.companies.size;
      sent.vehicles = pipeline.vehicles.size;
      sent.ads = pipeline.ads.size;
      post(
        {
          type: 'block',
          rows: taken.rows,
          columns,
          dict,
          bytesRead: source.bytesRead(),
          rowsIn: pipeline.stats.rowsIn,
        },
        Object.values(columns),
      );
      posted++;
    }
    quarantine.close();
    const coverage = pipeline.writeSamples(input.samplesPath);
    const s = pipeline.stats;
    post({
      type: 'end',
      rowsIn: s.rowsIn,
      rowsStored: s.rowsStored,
      tsMinUs: s.tsMinUs,
      tsMaxUs: s.tsMaxUs,
      quarantined: quarantine.count,
      byReason: Object.fromEntries(quarantine.byReason),
      tracks: pipeline.trackStates(),
      coverage,
    });
  } catch (e) {
    const se = e instanceof SourceError ? { file: e.file, position: e.position, detail: e.detail } : null;
    post({ type: 'error', message: (e as Error).message, sourceError: se });
  } finally {
    quarantine.close();
    source.close();
  }
}

run(workerData as WorkerInput);
