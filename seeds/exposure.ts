import type { Fleet } from './fleet.js';
import { haversineM } from '../services/reference/geo/haversine.js';
import { MODE_NAMES, type DriveTrace } from './trace.js';
import { localDate, UTC_OFFSET_MS } from './writers/bytes.js';
import { sampleMs, type DriveMeta } from './writers/meta.js';
import { DRIVE_MODES, type DriveMode } from './vocab.js';

export interface Exposure {
  km: number;
  hours: number;
  /** Haversine along the positions as written (GNSS noise, dropouts bridged), km. */
  km_logged: number;
  /** Trapezoid of the logged speed between the samples as written (what the ingest's seg_m sums), km. */
  km_speed: number;
}

export type ModeExposure = Record<DriveMode, Exposure>;

const DAY_MS = 86_400_000;

function emptyModes(): ModeExposure {
  return {
    autonomous: { km: 0, hours: 0, km_logged: 0, km_speed: 0 },
    manual: { km: 0, hours: 0, km_logged: 0, km_speed: 0 },
    remote: { km: 0, hours: 0, km_logged: 0, km_speed: 0 },
  };
}

function round(x: number, d: number): number {
  const s = 10 ** d;
  return Math.round(x * s) / s;
}

function roundModes(m: ModeExposure): ModeExposure {
  const r = (e: Exposure): Exposure => ({
    km: round(e.km, 4),
    hours: round(e.hours, 5),
    km_logged: round(e.km_logged, 4),
    km_speed: round(e.km_speed, 4),
  });
  return { autonomous: r(m.autonomous), manual: r(m.manual), remote: r(m.remote) };
}

/**
 * Distance and time driven per vehicle, local day and mode. The interval between two samples counts in the later
 * sample's mode and day; km is haversine along the noise-free track.
 */
export class ExposureLedger {
  private readonly byVehicleDay = new Map<string, Map<string, ModeExposure>>();
  private readonly companyOf = new Map<string, string>();

  constructor(fleet: Fleet) {
    for (const v of fleet.vehicles) {
      this.byVehicleDay.set(v.id, new Map());
      this.companyOf.set(v.id, v.companyId);
    }
  }

  add(meta: DriveMeta, trace: DriveTrace): void {
    const days = this.byVehicleDay.get(meta.vehicleId) ?? new Map<string, ModeExposure>();
    this.byVehicleDay.set(meta.vehicleId, days);
    const dt = 1 / meta.hz;
    let lastKept = trace.keep[0] === 1 ? 0 : -1;
    let day = localDate(meta.startMs);
    let bucket = days.get(day) ?? emptyModes();
    days.set(day, bucket);
    let nextDayMs = Date.parse(`${day}T00:00:00Z`) - UTC_OFFSET_MS + DAY_MS;
    for (let k = 1; k < trace.n; k++) {
      const ms = sampleMs(meta, k);
      if (ms >= nextDayMs) {
        day = localDate(ms);
        nextDayMs += DAY_MS;
        bucket = days.get(day) ?? emptyModes();
        days.set(day, bucket);
      }
      const exp = bucket[MODE_NAMES[trace.mode[k] ?? 0] ?? 'autonomous'];
      exp.km += haversineM(trace.lat[k - 1] ?? 0, trace.lon[k - 1] ?? 0, trace.lat[k] ?? 0, trace.lon[k] ?? 0) / 1000;
      exp.hours += dt / 3600;
      if (trace.keep[k] === 1) {
        if (lastKept >= 0) {
          const dtS = (ms - sampleMs(meta, lastKept)) / 1000;
          exp.km_speed += ((((trace.v[lastKept] ?? 0) + (trace.v[k] ?? 0)) / 2) * dtS) / 1000;
        }
        if (lastKept >= 0)
          exp.km_logged +=
            haversineM(
              trace.gpsLat[lastKept] ?? 0,
              trace.gpsLon[lastKept] ?? 0,
              trace.gpsLat[k] ?? 0,
              trace.gpsLon[k] ?? 0,
            ) / 1000;
        lastKept = k;
      }
    }
  }

  toJSON(): {
    fleet: ModeExposure;
    by_vehicle: Record<string, ModeExposure>;
    by_company_month: Record<string, Record<string, ModeExposure>>;
    by_vehicle_day: Record<string, Record<string, ModeExposure>>;
  } {
    const byVehicle: Record<string, ModeExposure> = {};
    const byVehicleDay: Record<string, Record<string, ModeExposure>> = {};
    const byCompanyMonth: Record<string, Record<string, ModeExposure>> = {};
    const fleet = emptyModes();
    for (const [vehicle, days] of this.byVehicleDay) {
      const total = emptyModes();
      const perDay: Record<string, ModeExposure> = {};
      const company = this.companyOf.get(vehicle) ?? '';
      for (const day of [...days.keys()].sort()) {
        const exp = days.get(day) ?? emptyModes();
        const month = ((byCompanyMonth[company] ??= {})[day.slice(0, 7)] ??= emptyModes());
        for (const m of DRIVE_MODES) {
          for (const target of [total, month, fleet]) {
            target[m].km += exp[m].km;
            target[m].hours += exp[m].hours;
            target[m].km_logged += exp[m].km_logged;
            target[m].km_speed += exp[m].km_speed;
          }
        }
        perDay[day] = roundModes(exp);
      }
      byVehicle[vehicle] = roundModes(total);
      byVehicleDay[vehicle] = perDay;
    }
    for (const months of Object.values(byCompanyMonth))
      for (const [m, exp] of Object.entries(months)) months[m] = roundModes(exp);
    return {
      fleet: roundModes(fleet),
      by_vehicle: byVehicle,
      by_company_month: byCompanyMonth,
      by_vehicle_day: byVehicleDay,
    };
  }
}
