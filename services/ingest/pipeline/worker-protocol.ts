import type { MessagePort } from 'node:worker_threads';
import type { RoadsOrigin } from '../../reference/roads/road-limits.js';
import type { IngestOptions } from '../options.js';
import type { SourcePosition } from '../errors.js';
import type { Crs } from '../schema/vocab.js';
import type { TrackState } from './vehicle-track.js';
import type { Coverage, SampleIndexSpec } from '../lake/sample-index.js';

/** What the main thread tells the telemetry worker. The district index travels as its file, not its polygons. */
export interface WorkerInput {
  path: string;
  file: string;
  options: Omit<IngestOptions, 'districts' | 'roads'> & {
    districts: { path: string; property: string | undefined } | null;
    roads: RoadsOrigin | null;
  };
  quarantinePath: string;
  sourceId: string;
  ingestedAt: string;
  /** [0] messages posted, [1] blocks the main thread has finished with. */
  signal: Int32Array;
  /** Track end states of earlier files, to continue split drives. */
  tracks: Record<string, TrackState>;
  /** The sample index of the lake (what is stored already), and where to write this source's timestamps. */
  index: SampleIndexSpec;
  samplesPath: string;
  /** The channel the main thread reads synchronously (receiveMessageOnPort). */
  port: MessagePort;
}

export interface DictionaryDelta {
  companies: string[];
  vehicles: string[];
  ads: string[];
}

export type WorkerMessage =
  | { type: 'ready'; crs: Crs }
  | {
      type: 'block';
      rows: number;
      columns: Record<string, ArrayBuffer>;
      dict: DictionaryDelta;
      bytesRead: number;
      rowsIn: number;
    }
  | {
      type: 'end';
      rowsIn: number;
      rowsStored: number;
      tsMinUs: number;
      tsMaxUs: number;
      quarantined: number;
      byReason: Record<string, number>;
      tracks: Record<string, TrackState>;
      coverage: Coverage;
    }
  | { type: 'error'; message: string; sourceError: { file: string; position: SourcePosition; detail: string } | null };

/** Blocks the worker may have posted and the main thread not yet consumed: bounds memory to a few blocks. */
export const MAX_IN_FLIGHT = 4;
