import { tableFromIPC } from 'apache-arrow';
import { INCIDENT_ARROW_COLUMNS, INCIDENT_META_KEY, type IncidentMeta } from '../../../services/api/map/wire-format.js';
import { columnValues, metadata, stringColumn } from './arrow-columns.js';

/** Incidents decoded from Arrow, one entry per incident; `positions` interleaved absolute [lon, lat]. */
export interface IncidentSet {
  meta: IncidentMeta;
  length: number;
  ids: string[];
  positions: Float64Array;
  tsMs: Float64Array;
  kind: Uint8Array;
  severity: Uint8Array;
  mode: Uint8Array;
  vehicle: Uint16Array;
  speed: Float32Array;
}

export function decodeIncidents(buffer: ArrayBuffer | Uint8Array): IncidentSet {
  const table = tableFromIPC(buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer));
  const meta = metadata<IncidentMeta>(table, INCIDENT_META_KEY);
  if (table.numRows === 0) {
    return { meta, length: 0, ids: [], positions: new Float64Array(0), tsMs: new Float64Array(0), kind: new Uint8Array(0), severity: new Uint8Array(0), mode: new Uint8Array(0), vehicle: new Uint16Array(0), speed: new Float32Array(0) };
  }
  return {
    meta,
    length: table.numRows,
    ids: stringColumn(table, INCIDENT_ARROW_COLUMNS.id),
    positions: columnValues(table, INCIDENT_ARROW_COLUMNS.position, Float64Array),
    tsMs: columnValues(table, INCIDENT_ARROW_COLUMNS.ts, Float64Array),
    kind: columnValues(table, INCIDENT_ARROW_COLUMNS.kind, Uint8Array),
    severity: columnValues(table, INCIDENT_ARROW_COLUMNS.severity, Uint8Array),
    mode: columnValues(table, INCIDENT_ARROW_COLUMNS.mode, Uint8Array),
    vehicle: columnValues(table, INCIDENT_ARROW_COLUMNS.vehicle, Uint16Array),
    speed: columnValues(table, INCIDENT_ARROW_COLUMNS.speed, Float32Array),
  };
}
