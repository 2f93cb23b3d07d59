import fs from 'node:fs';
import path from 'node:path';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';

/**
 * What the lake does not hold about a fleet: companies, permits, plates, VINs, safety officers, which vehicles run
 * driverless or carry a safety driver, ADS approvals. Read from a `fleet.json` as `avlog seed` writes it, by the
 * regulator reports (`services/report`) and the regulator exports (`services/export`). Every field is optional so
 * that a partial register still helps (what is missing reads "not recorded"); a field of the wrong type is an error
 * naming the file and the field.
 */

const Opt = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const Text = Type.String();

/** The `fleet.json` document (extra fields are allowed: the generator writes more than is read here). */
export const FleetFileSchema = Type.Object({
  companies: Type.Optional(
    Type.Array(
      Type.Object({
        id: Opt(Text),
        name: Opt(Text),
        /** The name to print in English-language regulator files. */
        name_en: Opt(Text),
        permits: Opt(
          Type.Array(
            Type.Object({
              number: Opt(Text),
              kind: Opt(Text),
              issued: Opt(Text),
              expires: Opt(Text),
              districts: Opt(Type.Array(Text)),
            }),
          ),
        ),
        /** null / absent: not recorded (an empty list says there are none). */
        safety_officers: Opt(
          Type.Array(
            Type.Object({
              id: Opt(Text),
              name: Opt(Text),
              role: Opt(Type.Union([Type.Literal('onboard'), Type.Literal('remote')])),
            }),
          ),
        ),
        ads_releases: Opt(Type.Array(Type.Object({ version: Opt(Text), approved: Opt(Text) }))),
        /** Who answers for the company's reports: printed in the report's signature block. */
        contact: Opt(
          Type.Object({ name: Opt(Text), title: Opt(Text), phone: Opt(Text), email: Opt(Text), address: Opt(Text) }),
        ),
      }),
    ),
  ),
  vehicles: Type.Optional(
    Type.Array(
      Type.Object({
        id: Opt(Text),
        company_id: Opt(Text),
        plate: Opt(Text),
        vin: Opt(Text),
        model: Opt(Text),
        /** Operates without a driver aboard. */
        driverless: Opt(Type.Boolean()),
        /** A safety driver is aboard. */
        safety_driver: Opt(Type.Boolean()),
        permit: Opt(Text),
      }),
    ),
  ),
});
export type FleetFile = Static<typeof FleetFileSchema>;

type FileCompany = NonNullable<FleetFile['companies']>[number];
type FileVehicle = NonNullable<FleetFile['vehicles']>[number];
/** A record of the file with every field present: its value, or null when not recorded. */
type Recorded<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

export type FleetPermit = Recorded<Omit<NonNullable<FileCompany['permits']>[number], 'number' | 'districts'>> & {
  number: string;
  districts: string[];
};
export type FleetOfficer = Recorded<Omit<NonNullable<FileCompany['safety_officers']>[number], 'id'>> & { id: string };
export type FleetRelease = Recorded<Omit<NonNullable<FileCompany['ads_releases']>[number], 'version'>> & {
  version: string;
};

export type FleetContact = Recorded<NonNullable<FileCompany['contact']>>;

export interface FleetCompany extends Recorded<Pick<FileCompany, 'name' | 'name_en'>> {
  id: string;
  /** null: not recorded. */
  contact: FleetContact | null;
  permits: FleetPermit[];
  safety_officers: FleetOfficer[] | null;
  ads_releases: FleetRelease[];
}

/** `driverless` falls back on `!safety_driver` (and `safety_driver` stays as recorded). */
export type FleetVehicle = Recorded<Omit<FileVehicle, 'id'>> & { id: string };

export interface FleetReference {
  /** Where it was read from. */
  file: string;
  companies: FleetCompany[];
  vehicles: FleetVehicle[];
}

/** A validation error with its union members' errors read out (TypeBox gives them as one-shot iterators). */
interface ErrorNode {
  e: ValueError;
  kids: ErrorNode[];
}
const errorTree = (e: ValueError): ErrorNode => ({ e, kids: e.errors.flatMap((it) => [...it].map(errorTree)) });

/** The innermost failure under a union ("expected union value" says nothing): the deepest path wins. */
function deepest(n: ErrorNode): ErrorNode {
  let best = n;
  for (const k of n.kids) {
    const d = deepest(k);
    if (d.e.path.length > best.e.path.length) best = d;
  }
  return best;
}

/** What a value at a leaf could have been: the messages of a union's members, flattened. */
function alternatives(n: ErrorNode): string[] {
  const out = n.kids.filter((k) => k.e.path === n.e.path).flatMap(alternatives);
  return out.length ? [...new Set(out)] : [n.e.message];
}

/** Empty strings (and whitespace) are "not recorded". */
const text = (v: string | null | undefined): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** Parses a fleet.json document; throws an Error naming the file and the offending fields when it is not one. */
export function parseFleetReference(doc: unknown, file: string): FleetReference {
  if (
    doc === null ||
    typeof doc !== 'object' ||
    Array.isArray(doc) ||
    (!Array.isArray((doc as FleetFile).companies) && !Array.isArray((doc as FleetFile).vehicles))
  ) {
    throw new Error(`fleet reference ${file}: expected an object with "companies" and/or "vehicles" arrays`);
  }
  if (!Value.Check(FleetFileSchema, doc)) {
    const errors = [
      ...new Set(
        [...Value.Errors(FleetFileSchema, doc)]
          .map((e) => deepest(errorTree(e)))
          .map(
            (n) =>
              `${n.e.path || '/'}: expected ${alternatives(n)
                .map((m) => m.replace(/^Expected /u, ''))
                .join(' | ')}, got ${JSON.stringify(n.e.value)}`,
          ),
      ),
    ].slice(0, 5);
    throw new Error(`fleet reference ${file}: ${errors.join('; ')}`);
  }
  const companies: FleetCompany[] = [];
  for (const c of doc.companies ?? []) {
    const id = text(c.id);
    if (!id) continue;
    companies.push({
      id,
      name: text(c.name),
      name_en: text(c.name_en),
      contact: c.contact
        ? {
            name: text(c.contact.name),
            title: text(c.contact.title),
            phone: text(c.contact.phone),
            email: text(c.contact.email),
            address: text(c.contact.address),
          }
        : null,
      permits: (c.permits ?? []).flatMap((p) => {
        const number = text(p.number);
        return number
          ? [
              {
                number,
                kind: text(p.kind),
                issued: text(p.issued),
                expires: text(p.expires),
                districts: p.districts ?? [],
              },
            ]
          : [];
      }),
      safety_officers: c.safety_officers
        ? c.safety_officers.map((o, i) => ({
            id: text(o.id) ?? `${id}-officer-${i + 1}`,
            name: text(o.name),
            role: o.role ?? null,
          }))
        : null,
      ads_releases: (c.ads_releases ?? []).flatMap((r) => {
        const version = text(r.version);
        return version ? [{ version, approved: text(r.approved) }] : [];
      }),
    });
  }
  const vehicles: FleetVehicle[] = [];
  for (const v of doc.vehicles ?? []) {
    const id = text(v.id);
    if (!id) continue;
    const safetyDriver = v.safety_driver ?? null;
    vehicles.push({
      id,
      company_id: text(v.company_id),
      plate: text(v.plate),
      vin: text(v.vin),
      model: text(v.model),
      driverless: v.driverless ?? (safetyDriver === null ? null : !safetyDriver),
      safety_driver: safetyDriver,
      permit: text(v.permit),
    });
  }
  return { file, companies, vehicles };
}

/** Reads a fleet.json; throws when the file is missing or not readable as one. */
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
  for (const p of [path.join(dataDir, 'fleet.json'), path.join(dataDir, 'seed-logs', 'fleet.json')])
    if (fs.existsSync(p)) return p;
  return null;
}

/** The data directory's fleet reference, or null without one (a broken file is an error, not an absence). */
export function findFleetReference(dataDir: string): FleetReference | null {
  const p = defaultFleetReferencePath(dataDir);
  return p === null ? null : loadFleetReference(p);
}

/** The name to print for a company in English-language regulator files: `name_en`, else `name`, else its id. */
export function englishName(ref: FleetReference | null, companyId: string): string {
  const c = ref?.companies.find((x) => x.id === companyId);
  return c?.name_en ?? c?.name ?? companyId;
}
