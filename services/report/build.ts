import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { LakeRepository } from '../api/lake/repository.js';
import type { Scope } from '../api/lake/scope.js';
import { findFleetReference, type FleetReference } from './fleet-reference.js';
import { fetchReportInputs, reportSources, type ReportInputs } from './inputs.js';
import { lakeFiles } from './lake-files.js';
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
  /** Reuse a report built from the same inputs (same fingerprint and scope). */
  cache?: ReportCache;
}

/**
 * Recently built reports by fingerprint (which covers the sources, thresholds and fleet reference) and scope: the
 * API answers the other formats and languages of a report it just built without querying the lake again.
 */
export class ReportCache {
  private readonly entries = new Map<string, ReportModel>();

  constructor(private readonly size = 8) {}

  get(key: string): ReportModel | undefined {
    const m = this.entries.get(key);
    if (m) {
      this.entries.delete(key);
      this.entries.set(key, m);
    }
    return m;
  }

  set(key: string, m: ReportModel): void {
    this.entries.delete(key);
    this.entries.set(key, m);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
  }
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
export function fingerprintOf(inputs: Pick<ReportInputs, 'company' | 'sources' | 'thresholds' | 'fleet'> & { month: string }): Fingerprint {
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
  h.update(`avlog.monthly-report/1\ncompany=${inputs.company}\nmonth=${inputs.month}\n`);
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
    fingerprint: fingerprintOf({ ...inputs, month: inputs.period.month }),
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
  const src = reportSources(repo, scope, o.company, o.month);
  const key = `${scope.role}:${scope.company ?? ''}:${fingerprintOf({ company: o.company, month: o.month, sources: src.sources, thresholds, fleet }).sha256}`;
  const cached = o.cache?.get(key);
  if (cached) return cached;
  const t = performance.now();
  const inputs = await fetchReportInputs(repo, scope, { company: o.company, month: o.month, thresholds, fleet }, src);
  inputs.timings.queries = performance.now() - t;
  const model = reportFromInputs(inputs, (o.now?.() ?? new Date()).toISOString());
  o.cache?.set(key, model);
  return model;
}

/**
 * Companies × months with telemetry or events (the report list), newest month first, with how many source files
 * each holds — read from the lake's partition folders, so listing costs no query however large the lake.
 */
export function reportIndex(repo: LakeRepository, scope: Scope): { company_id: string; month: string; telemetry_files: number; event_files: number }[] {
  const out = new Map<string, { company_id: string; month: string; telemetry: Set<string>; events: Set<string> }>();
  for (const f of lakeFiles(repo.db.paths, { fromDate: null, toDate: null, companies: scope.company !== undefined ? [scope.company] : null })) {
    const key = `${f.date.slice(0, 7)}\u0000${f.company}`;
    let e = out.get(key);
    if (!e) out.set(key, (e = { company_id: f.company, month: f.date.slice(0, 7), telemetry: new Set(), events: new Set() }));
    (f.table === 'telemetry' ? e.telemetry : e.events).add(f.source_id);
  }
  return [...out.values()]
    .sort((a, b) => b.month.localeCompare(a.month) || a.company_id.localeCompare(b.company_id))
    .map((e) => ({ company_id: e.company_id, month: e.month, telemetry_files: e.telemetry.size, event_files: e.events.size }));
}
