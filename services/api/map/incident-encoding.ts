import { ipcStream, pairColumn, primitiveColumn, utf8Column } from './arrow-ipc.js';
import type { IncidentData } from './incident-data.js';
import { INCIDENT_ARROW_COLUMNS, INCIDENT_META_KEY, NO_CODE } from './wire-format.js';

export function incidentsToArrow(d: IncidentData): Promise<Uint8Array[]> {
  return ipcStream(
    [
      utf8Column(INCIDENT_ARROW_COLUMNS.id, d.id),
      pairColumn(INCIDENT_ARROW_COLUMNS.position, d.position),
      primitiveColumn(INCIDENT_ARROW_COLUMNS.ts, d.ts),
      primitiveColumn(INCIDENT_ARROW_COLUMNS.kind, d.kind),
      primitiveColumn(INCIDENT_ARROW_COLUMNS.severity, d.severity),
      primitiveColumn(INCIDENT_ARROW_COLUMNS.mode, d.mode),
      primitiveColumn(INCIDENT_ARROW_COLUMNS.vehicle, d.vehicle),
      primitiveColumn(INCIDENT_ARROW_COLUMNS.speed, d.speed),
    ],
    d.length,
    INCIDENT_META_KEY,
    d.meta,
  );
}

export interface IncidentJson {
  event_id: string;
  lon: number;
  lat: number;
  ts: string;
  kind: string;
  severity: string | null;
  mode: string | null;
  vehicle_id: string;
  company_id: string;
  speed_mps: number | null;
}

/** Incidents as plain objects (`?format=json`): few enough that objects are fine. */
export function incidentsToJson(d: IncidentData): { items: IncidentJson[]; truncated: boolean } {
  const name = (vocab: readonly string[], code: number | undefined) =>
    code === undefined || code === NO_CODE ? null : (vocab[code] ?? null);
  const items: IncidentJson[] = [];
  for (let i = 0; i < d.length; i++) {
    const v = d.meta.vehicles[d.vehicle[i] as number];
    const speed = d.speed[i] as number;
    items.push({
      event_id: d.id[i] as string,
      lon: d.position[2 * i] as number,
      lat: d.position[2 * i + 1] as number,
      ts: new Date(d.ts[i] as number).toISOString(),
      kind: name(d.meta.kinds, d.kind[i]) ?? 'unknown',
      severity: name(d.meta.severities, d.severity[i]),
      mode: name(d.meta.modes, d.mode[i]),
      vehicle_id: v?.id ?? '',
      company_id: v?.company ?? '',
      speed_mps: Number.isNaN(speed) ? null : speed,
    });
  }
  return { items, truncated: d.meta.truncated };
}
