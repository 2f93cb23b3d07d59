import type { Coverage } from './lake/sample-index.js';
import type { TrackState } from './pipeline/vehicle-track.js';
import type { Crs, SourceFormat, SourceKind } from './schema/vocab.js';

/** What reading one source into staging reports, for its summary and catalog entry. */
export interface SourceOutcome {
  format: SourceFormat;
  kind: SourceKind;
  encoding: string | null;
  crs: Crs;
  rowsIn: number;
  rowsStored: number;
  tsMinUs: number;
  tsMaxUs: number;
  quarantined: number;
  byReason: Record<string, number>;
  /** Events detected in the telemetry. */
  detected?: number;
  /** Track end states per vehicle (telemetry). */
  tracks?: Record<string, TrackState>;
  /** Per vehicle, when this source's stored samples are (telemetry). */
  coverage?: Coverage;
  /** What the source held (`RawSource.describe`), for the message of a source that yields nothing. */
  described?: string;
}
