import fs from 'node:fs';
import { UsageError } from '../ingest/errors.js';

/** What a regulator export needs to know about our own vehicles that the logs do not say. */
export interface FleetVehicle {
  vin: string | null;
  permit: string | null;
  /** Capable of operating without a driver. */
  driverless: boolean | null;
  /** A safety driver is on board. */
  safetyDriver: boolean | null;
}

export interface FleetInfo {
  /** Company id → name to print as Manufacturer. */
  companies: Map<string, string>;
  /** Vehicle id (as in the logs) → its registration. */
  vehicles: Map<string, FleetVehicle>;
}

export const EMPTY_FLEET: FleetInfo = { companies: new Map(), vehicles: new Map() };

interface FleetJson {
  companies?: { id?: unknown; name?: unknown; name_en?: unknown }[];
  vehicles?: { id?: unknown; vin?: unknown; permit?: unknown; driverless?: unknown; safety_driver?: unknown }[];
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
const bool = (v: unknown) => (typeof v === 'boolean' ? v : null);

/**
 * Reads a fleet register (`fleet.json`, as `avlog seed` writes it): companies with `id`, `name`/`name_en`, and
 * vehicles with `id`, `vin`, `permit`, `driverless`, `safety_driver`. Manufacturer names prefer `name_en`
 * (US regulator files are in English).
 */
export function loadFleetInfo(file: string): FleetInfo {
  let json: FleetJson;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as FleetJson;
  } catch (e) {
    throw new UsageError(`--fleet ${file}: ${(e as Error).message}`);
  }
  const companies = new Map<string, string>();
  for (const c of json.companies ?? []) {
    const id = str(c.id);
    const name = str(c.name_en) ?? str(c.name);
    if (id && name) companies.set(id, name);
  }
  const vehicles = new Map<string, FleetVehicle>();
  for (const v of json.vehicles ?? []) {
    const id = str(v.id);
    if (!id) continue;
    vehicles.set(id, { vin: str(v.vin), permit: str(v.permit), driverless: bool(v.driverless), safetyDriver: bool(v.safety_driver) });
  }
  return { companies, vehicles };
}
