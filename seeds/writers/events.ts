import { writeFileSync } from 'node:fs';
import { csvField } from '../../services/core/csv.js';
import { isoUtc } from './bytes.js';

export const EVENT_HEADER = [
  'ts',
  'ts_end',
  'company_id',
  'vehicle_id',
  'kind',
  'severity',
  'initiator',
  'cause',
  'lat',
  'lon',
  'speed_mps',
] as const;

/** One line of a vehicle's event log: what the recorder wrote, with its own (noisy) GNSS position. */
export interface EventLine {
  readonly ms: number;
  readonly msEnd: number | null;
  readonly companyId: string;
  readonly vehicleId: string;
  readonly kind: string;
  readonly severity: string | null;
  readonly initiator: string | null;
  readonly cause: string | null;
  readonly lat: number;
  readonly lon: number;
  readonly speedMps: number;
}

/** The event log CSV (UTF-8, canonical header, `\n` line ends), lines in time order. */
export function writeEventLog(file: string, lines: readonly EventLine[]): void {
  const out = [EVENT_HEADER.join(',')];
  for (const e of lines) {
    out.push(
      [
        isoUtc(e.ms),
        e.msEnd === null ? '' : isoUtc(e.msEnd),
        csvField(e.companyId),
        csvField(e.vehicleId),
        e.kind,
        e.severity ?? '',
        e.initiator ?? '',
        csvField(e.cause),
        e.lat.toFixed(7),
        e.lon.toFixed(7),
        e.speedMps.toFixed(3),
      ].join(','),
    );
  }
  writeFileSync(file, `${out.join('\n')}\n`);
}
