import fs from 'node:fs';
import path from 'node:path';

/**
 * What the lake does not hold about a fleet: companies, permits, plates, VINs, safety officers, which vehicles run
 * driverless. Read from a `fleet.json` in the demo generator's format; every field is optional so that a partial
 * reference still helps, and a report without one says "not recorded".
 */
export interface FleetReference {
  /** Where it was read from. */
  file: string;
  companies: FleetCompany[];
  vehicles: FleetVehicle[];
}

export interface FleetPermit {
  number: string;
  kind: string | null;
  issued: string | null;
  expires: string | null;
  districts: string[];
}

export interface FleetOfficer {
  id: string;
  name: string | null;
  role: 'onboard' | 'remote' | null;
}

export interface FleetCompany {
  id: string;
  name: string | null;
  name_en: string | null;
  permits: FleetPermit[];
  safety_officers: FleetOfficer[] | null;
  ads_releases: { version: string; approved: string | null }[];
}

export interface FleetVehicle {
  id: string;
  company_id: string | null;
  plate: string | null;
  vin: string | null;
  model: string | null;
  driverless: boolean | null;
  permit: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** Parses a fleet.json document; throws an Error naming the file when it is not one. */
export function parseFleetReference(doc: unknown, file: string): FleetReference {
  const d = obj(doc);
  if (!Array.isArray(d.companies) && !Array.isArray(d.vehicles)) throw new Error(`fleet reference ${file}: expected "companies" and/or "vehicles" arrays`);
  const companies: FleetCompany[] = [];
  for (const c of arr(d.companies).map(obj)) {
    const id = str(c.id);
    if (!id) continue;
    companies.push({
      id,
      name: str(c.name),
      name_en: str(c.name_en),
      permits: arr(c.permits).map(obj).flatMap((p) => {
        const number = str(p.number);
        return number ? [{ number, kind: str(p.kind), issued: str(p.issued), expires: str(p.expires), districts: arr(p.districts).filter((x): x is string => typeof x === 'string') }] : [];
      }),
      safety_officers: Array.isArray(c.safety_officers)
        ? c.safety_officers.map(obj).map((o, i) => ({ id: str(o.id) ?? `${id}-officer-${i + 1}`, name: str(o.name), role: o.role === 'onboard' || o.role === 'remote' ? o.role : null }))
        : null,
      ads_releases: arr(c.ads_releases).map(obj).flatMap((r) => {
        const version = str(r.version);
        return version ? [{ version, approved: str(r.approved) }] : [];
      }),
    });
  }
  const vehicles: FleetVehicle[] = [];
  for (const v of arr(d.vehicles).map(obj)) {
    const id = str(v.id);
    if (!id) continue;
    vehicles.push({
      id,
      company_id: str(v.company_id),
      plate: str(v.plate),
      vin: str(v.vin),
      model: str(v.model),
      driverless: typeof v.driverless === 'boolean' ? v.driverless : typeof v.safety_driver === 'boolean' ? !v.safety_driver : null,
      permit: str(v.permit),
    });
  }
  return { file, companies, vehicles };
}

/** Reads a fleet.json; throws when the file exists but is not readable as one. */
export function loadFleetReference(file: string): FleetReference {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/u, ''));
  } catch (e) {
    throw new Error(`fleet reference ${file}: ${(e as Error).message}`, { cause: e });
  }
  return parseFleetReference(doc, file);
}

/** Where a data directory keeps its fleet reference by convention: `<data>/fleet.json`, else `<data>/seed-logs/fleet.json`. */
export function defaultFleetReferencePath(dataDir: string): string | null {
  for (const p of [path.join(dataDir, 'fleet.json'), path.join(dataDir, 'seed-logs', 'fleet.json')]) if (fs.existsSync(p)) return p;
  return null;
}

/** The data directory's fleet reference, or null without one (a broken file is an error, not an absence). */
export function findFleetReference(dataDir: string): FleetReference | null {
  const p = defaultFleetReferencePath(dataDir);
  return p === null ? null : loadFleetReference(p);
}
