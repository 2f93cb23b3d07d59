import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { LakeRepository } from '../api/lake/repository.js';
import type { Scope } from '../api/lake/scope.js';
import { findFleetReference, type FleetReference } from './fleet-reference.js';
import { fetchReportInputs, type ReportInputs } from './inputs.js';
import type { Fingerprint, ReportModel } from './model.js';
import {
  accidentSection,
  appendixSection,
  buildContext,
  changesSection,
  complianceSection,
  disengagementSection,
  exposureSection,
  flagsOf,
  fleetSection,
  gatesSection,
  headerSection,
  mapSection,
  safetySection,
  systemHealthSection,
  violationSection,
} from './sections.js';
import { resolveReportThresholds, type ReportThresholds } from './thresholds.js';

export interface BuildReportOptions {
  /** A company id, or `all` for the fleet-wide report. */
  company: string;
  /** `YYYY-MM`, Beijing time. */
  month: string;
  thresholds?: Partial<ReportThresholds>;
  /** The fleet reference; undefined: `<data>/fleet.json` or `<data>/seed-logs/fleet.json` if present; null: none. */
  fleet?: FleetReference | null;
  /** Clock for `generated_at` (tests). */
  now?: () => Date;
}

/** JSON with object keys sorted, so that equal values hash equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/**
 * The fingerprint of a report's inputs: sha256 over the report's identity, the sorted sha256s of every catalog
 * source that contributed rows (report month, previous month, and the history the cumulative gates sum), the
 * thresholds (canonical JSON) and the fleet reference's bytes. Same lake content, thresholds and reference: same
 * fingerprint, same figures.
 */
export function fingerprintOf(inputs: ReportInputs): Fingerprint {
  const hashes = [...inputs.sources].map(([id, s]) => s.sha256 ?? `source:${id}`).sort();
  const thresholdsJson = canonicalJson(inputs.thresholds);
  let fleetHash: string | null = null;
  if (inputs.fleet) {
    try {
      fleetHash = sha256(fs.readFileSync(inputs.fleet.file));
    } catch {
      fleetHash = sha256(canonicalJson(inputs.fleet));
    }
  }
  const h = createHash('sha256');
  h.update(`avlog.monthly-report/1\ncompany=${inputs.company}\nmonth=${inputs.period.month}\n`);
  for (const s of hashes) h.update(`source=${s}\n`);
  h.update(`thresholds=${thresholdsJson}\n`);
  h.update(`fleet=${fleetHash ?? 'none'}\n`);
  return { sha256: h.digest('hex'), sources: hashes.length, source_sha256s: hashes, thresholds_sha256: sha256(thresholdsJson), fleet_reference_sha256: fleetHash };
}

/** The report model from already fetched inputs: pure, one function per section. */
export function reportFromInputs(inputs: ReportInputs, generatedAt: string): ReportModel {
  const t0 = performance.now();
  const ctx = buildContext(inputs, generatedAt);
  const header = headerSection(ctx);
  const fleet = fleetSection(ctx);
  const exposure = exposureSection(ctx);
  const gates = gatesSection(ctx);
  const disengagements = disengagementSection(ctx);
  const accidents = accidentSection(ctx);
  const violations = violationSection(ctx);
  const safety_events = safetySection(ctx);
  const system_health = systemHealthSection(ctx);
  const data_compliance = complianceSection(ctx);
  const map = mapSection(ctx);
  const soFar = { header, fleet, exposure, disengagements, accidents, violations, safety_events, system_health, data_compliance };
  const changes = changesSection(ctx, soFar);
  const appendix = appendixSection(ctx);
  const flags = flagsOf(ctx, soFar, appendix);
  return {
    kind: 'avlog.monthly-report',
    version: 1,
    company: inputs.company,
    month: inputs.period.month,
    has_data: ctx.cur.has_data,
    fingerprint: fingerprintOf(inputs),
    thresholds: inputs.thresholds,
    flags,
    header,
    fleet,
    exposure,
    gates,
    disengagements,
    accidents,
    violations,
    safety_events,
    system_health,
    data_compliance,
    map,
    changes,
    appendix,
    timings: { ...inputs.timings, build: performance.now() - t0 },
  };
}

/** Builds the monthly report of a company (or `all`) for a month, from the lake through the caller's scope. */
export async function buildReport(repo: LakeRepository, scope: Scope, o: BuildReportOptions): Promise<ReportModel> {
  const thresholds = resolveReportThresholds(o.thresholds);
  const fleet = o.fleet === undefined ? findFleetReference(repo.db.paths.root) : o.fleet;
  const t = performance.now();
  const inputs = await fetchReportInputs(repo, scope, { company: o.company, month: o.month, thresholds, fleet });
  inputs.timings.queries = performance.now() - t;
  return reportFromInputs(inputs, (o.now?.() ?? new Date()).toISOString());
}

/** Companies × months with telemetry or events (for the report list), newest month first. */
export async function reportIndex(repo: LakeRepository, scope: Scope): Promise<{ company_id: string; month: string; telemetry_rows: number; events: number }[]> {
  const rows = await repo.query(
    scope,
    `SELECT company_id, month, sum(t)::BIGINT AS telemetry_rows, sum(e)::BIGINT AS events FROM (
       SELECT company, strftime(date, '%Y-%m') AS month, count(*) AS t, 0 AS e FROM telemetry GROUP BY ALL
       UNION ALL SELECT company, strftime(date, '%Y-%m'), 0, count(*) FROM events GROUP BY ALL
     ) x(company_id, month, t, e) GROUP BY ALL ORDER BY month DESC, company_id`,
  );
  return rows.map((r) => ({ company_id: String(r.company_id), month: String(r.month), telemetry_rows: Number(r.telemetry_rows), events: Number(r.events) }));
}
