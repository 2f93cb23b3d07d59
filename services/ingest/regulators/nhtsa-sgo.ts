import crypto from 'node:crypto';
import { SourceError } from '../errors.js';
import type { Severity } from '../schema/vocab.js';
import type { EventJson } from './ca-dmv-disengagement.js';
import type { JsonLines } from './json-lines.js';
import { headerKey } from './layouts.js';
import {
  cleanName,
  cleanVin,
  companyIdOf,
  isoDate,
  isoTime,
  parseReportedNumber,
  parseRegulatorDate,
} from './normalize.js';
import { reject, ReadStats, type ReadContext } from './read-context.js';
import type { RegulatorCsv } from './records.js';

/** NHTSA files one list per automation level: Automated Driving Systems, and Level 2 ADAS. */
export const SGO_SYSTEMS = ['ADS', 'ADAS'] as const;
export type SgoSystem = (typeof SGO_SYSTEMS)[number];

/** What an imported NHTSA crash report keeps in `detail` (JSON). */
export interface SgoDetail {
  format: 'nhtsa-sgo';
  system: SgoSystem;
  report_id: string;
  report_version: number;
  report_type: string | null;
  /** Reporting entity as written. */
  entity: string;
  /** NHTSA's id of the crash: reports of one crash by several entities (operator and manufacturer) share it. Null when blank. */
  incident_id: string | null;
  same_vehicle_id: string | null;
  /** Incident date and time as published (month precision in public releases). */
  incident_date: string;
  incident_time: string | null;
  /** The column `ts` comes from: `Incident Date`, else (unknown incident date) the notice or submission date. */
  dated_by: string;
  local_date: string;
  local_time: string | null;
  highest_injury: string | null;
  /** Every other non-blank column, by its header. */
  columns: Record<string, string>;
}

/** NHTSA's "Highest Injury Severity" (all releases' wordings) → avlog's collision severities; null when unknown. */
export function injurySeverity(text: string | null): Severity | null {
  if (!text) return null;
  const t = text.toLowerCase();
  if (/fatal/u.test(t)) return 'fatal';
  if (/serious/u.test(t)) return 'serious';
  if (/moderate/u.test(t)) return 'moderate';
  if (/minor/u.test(t)) return 'minor';
  if (/no injur|property damage|none/u.test(t)) return 'none';
  return null;
}

const MPH = 0.44704;

interface Cols {
  id: number;
  version: number;
  entity: number;
  type: number;
  date: number;
  time: number;
  incident: number;
  vehicle: number;
  vin: number;
  injury: number;
  speed: number;
  crashWith: number;
  adsEquipped: number;
  /** Dates to fall back on when the incident date is unknown, in order. */
  fallbackDates: number[];
}

function colsOf(csv: RegulatorCsv, file: string): Cols {
  const keys = csv.columns.map(headerKey);
  const at = (k: string) => keys.indexOf(k);
  const starts = (p: string) => keys.findIndex((k) => k.startsWith(p));
  const c: Cols = {
    id: at('REPORT ID'),
    version: at('REPORT VERSION'),
    entity: at('REPORTING ENTITY'),
    type: at('REPORT TYPE'),
    date: at('INCIDENT DATE'),
    time: at('INCIDENT TIME'),
    incident: at('SAME INCIDENT ID'),
    vehicle: at('SAME VEHICLE ID'),
    vin: at('VIN'),
    injury: at('HIGHEST INJURY SEVERITY'),
    speed: starts('SV PRECRASH SPEED'),
    crashWith: at('CRASH WITH'),
    adsEquipped: at('ADS EQUIPPED?'),
    fallbackDates: [at('NOTICE RECEIVED DATE'), at('REPORT SUBMISSION DATE')].filter((i) => i >= 0),
  };
  if (c.id < 0 || c.version < 0 || c.entity < 0 || c.date < 0)
    throw new SourceError(
      file,
      { line: 1 },
      'NHTSA SGO header without Report ID, Report Version, Reporting Entity or Incident Date',
    );
  return c;
}

const text = (s: string | undefined) => {
  const t = (s ?? '').trim();
  return t ? t : null;
};

/**
 * First pass: the latest version of each report id (the version a report's last row in the file carries, and
 * which row holds it), and whether the file is NHTSA's ADS or Level 2 ADAS list.
 */
function survey(
  open: () => RegulatorCsv,
  ctx: ReadContext,
): { latest: Map<string, { version: number; line: number }>; system: SgoSystem } {
  const byName = /(^|[^a-z])adas([^a-z]|$)/iu.test(ctx.name)
    ? 'ADAS'
    : /(^|[^a-z])ads([^a-z]|$)/iu.test(ctx.name)
      ? 'ADS'
      : null;
  const csv = open();
  const latest = new Map<string, { version: number; line: number }>();
  let adsYes = 0;
  let adsOther = 0;
  try {
    const c = colsOf(csv, ctx.name);
    for (const rec of csv.records()) {
      if (rec.defect) continue;
      const id = text(rec.fields[c.id]);
      const version = parseReportedNumber(rec.fields[c.version]);
      if (!id || version === null || !Number.isInteger(version)) continue;
      const prev = latest.get(id);
      if (!prev || version > prev.version) latest.set(id, { version, line: rec.line });
      if (c.adsEquipped >= 0) {
        if (/^yes$/iu.test((rec.fields[c.adsEquipped] ?? '').trim())) adsYes++;
        else adsOther++;
      }
    }
  } finally {
    csv.close();
  }
  return { latest, system: byName ?? (adsYes > adsOther ? 'ADS' : 'ADAS') };
}

/**
 * An NHTSA Standing General Order crash-report file: one row per version of a report. Only the latest version
 * of each report in the file is imported, as a `collision` event (severity from the highest injury, speed from
 * the pre-crash speed, the crash partner as cause, everything else in `detail`); the earlier versions are
 * quarantined as `superseded_version`, so every row is accounted for and an earlier version can still be read.
 * Which list the file is (ADS or Level 2 ADAS) comes from its name (`…_ADS.csv`, `…_ADAS.csv`), else from the
 * "ADS Equipped?" column of most rows. Public releases give the incident month only: `ts` is 12:00 UTC on the
 * 1st of that month.
 */
export function readSgo(open: () => RegulatorCsv, ctx: ReadContext, out: JsonLines): ReadStats {
  const { latest, system } = survey(open, ctx);
  const csv = open();
  const stats = new ReadStats();
  try {
    const c = colsOf(csv, ctx.name);
    const known = new Set([c.id, c.version, c.entity, c.type, c.date, c.time, c.incident, c.vehicle]);
    for (const rec of csv.records((b) => ctx.progress(b, stats.rowsIn))) {
      stats.rowsIn++;
      if (rec.defect) {
        reject(ctx, rec, rec.defect.reason, rec.defect.detail);
        continue;
      }
      const f = rec.fields;
      const id = text(f[c.id]);
      const versionText = text(f[c.version]);
      const entity = cleanName(f[c.entity] ?? '');
      if (!id || !versionText || !entity) {
        reject(
          ctx,
          rec,
          'missing_field',
          !id ? 'Report ID is blank' : !versionText ? 'Report Version is blank' : 'Reporting Entity is blank',
        );
        continue;
      }
      const version = parseReportedNumber(versionText);
      if (version === null || !Number.isInteger(version) || version < 0) {
        reject(ctx, rec, 'bad_number', `Report Version is "${versionText}"`);
        continue;
      }
      const newest = latest.get(id);
      if (newest && (version < newest.version || rec.line !== newest.line)) {
        reject(
          ctx,
          rec,
          'superseded_version',
          version < newest.version
            ? `report ${id} version ${version}: version ${newest.version} is in this file`
            : `report ${id} version ${version} appears again`,
        );
        continue;
      }
      const company = companyIdOf(entity);
      if (!company) {
        reject(ctx, rec, 'bad_identifier', `reporting entity "${entity}" gives no company id`);
        continue;
      }
      // An unknown incident date ("Incident Date - Unknown": Y) still is a crash: it is dated by when the
      // entity learnt of it, else when it reported it.
      const dateText = (f[c.date] ?? '').trim();
      let datedBy = 'Incident Date';
      let date = parseRegulatorDate(dateText);
      if (!date && !dateText) {
        for (const k of c.fallbackDates) {
          date = parseRegulatorDate(f[k]);
          if (date) {
            datedBy = csv.columns[k] as string;
            break;
          }
        }
      }
      if (!date) {
        reject(
          ctx,
          rec,
          dateText ? 'bad_timestamp' : 'missing_field',
          dateText
            ? `Incident Date "${dateText}" is not a date`
            : 'Incident Date is blank, and so are the notice and submission dates',
        );
        continue;
      }
      const timeText = c.time >= 0 ? text(f[c.time]) : null;
      const time = timeText ? /^(\d{1,2}):(\d{2})/u.exec(timeText) : null;
      if (time && date.day !== null && Number(time[1]) < 24 && Number(time[2]) < 60)
        Object.assign(date, { hour: Number(time[1]), minute: Number(time[2]), hasTime: true });
      const tsMs =
        date.day === null
          ? Date.UTC(date.year, date.month - 1, 1, 12)
          : Date.UTC(date.year, date.month - 1, date.day, 12);
      const columns: Record<string, string> = {};
      csv.columns.forEach((name, i) => {
        const v = text(f[i]);
        if (v !== null && !known.has(i)) columns[name] = v;
      });
      const injury = c.injury >= 0 ? text(f[c.injury]) : null;
      const speed = c.speed >= 0 ? parseReportedNumber(f[c.speed]) : null;
      const vin = c.vin >= 0 ? cleanVin(f[c.vin] ?? '') : '';
      const sameVehicle = c.vehicle >= 0 ? text(f[c.vehicle]) : null;
      const detail: SgoDetail = {
        format: 'nhtsa-sgo',
        system,
        report_id: id,
        report_version: version,
        report_type: c.type >= 0 ? text(f[c.type]) : null,
        entity,
        incident_id: c.incident >= 0 ? text(f[c.incident]) : null,
        same_vehicle_id: sameVehicle,
        incident_date: dateText,
        incident_time: timeText,
        dated_by: datedBy,
        local_date: isoDate(date),
        local_time: isoTime(date),
        highest_injury: injury,
        columns,
      };
      const row: EventJson = {
        event_id: crypto.createHash('sha1').update(`nhtsa-sgo\u0001${id}\u0001${version}`).digest('hex'),
        company_id: company,
        vehicle_id: (vin || sameVehicle || `report ${id}`).slice(0, 64),
        drive_id: null,
        ts_us: tsMs * 1000,
        ts_end_us: null,
        lat: null,
        lon: null,
        kind: 'collision',
        severity: injurySeverity(injury),
        initiator: null,
        cause: c.crashWith >= 0 ? text(f[c.crashWith]) : null,
        origin: 'imported',
        speed_mps: speed !== null && Number.isFinite(speed) ? speed * MPH : null,
        peak: null,
        district: null,
        detail: JSON.stringify(detail),
        source_id: ctx.sourceId,
        source_row: rec.line,
      };
      out.push(row);
      stats.rowsStored++;
      stats.span(tsMs * 1000);
    }
  } finally {
    csv.close();
  }
  return stats;
}
