import type { DriveTrace } from '../trace.js';

/** Identity and clock of one drive's recording, shared by every writer. */
export interface DriveMeta {
  readonly companyId: string;
  readonly vehicleId: string;
  readonly driveId: string;
  readonly adsVersion: string;
  /** Epoch ms of sample 0. */
  readonly startMs: number;
  readonly hz: number;
}

/** Epoch ms of sample `k`: samples are on a fixed grid from the drive start. */
export function sampleMs(meta: DriveMeta, k: number): number {
  return meta.startMs + Math.round((k * 1000) / meta.hz);
}

export const TELEMETRY_HEADER = [
  'ts',
  'company_id',
  'vehicle_id',
  'lat',
  'lon',
  'speed_mps',
  'heading_deg',
  'accel_lon_mps2',
  'accel_lat_mps2',
  'mode',
  'ads_version',
] as const;

/** Decimals per column: lat/lon 7 (~1 cm), speed and accelerations 3, heading 1. */
export const DECIMALS = { latlon: 7, speed: 3, accel: 3, heading: 1 } as const;

export type TelemetryWriter = (file: string, trace: DriveTrace, meta: DriveMeta) => void;
