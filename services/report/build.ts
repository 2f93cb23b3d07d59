import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { LakeRepository } from '../lake/repository.js';
import type { Scope } from '../lake/scope.js';
import { findFleetReference, type FleetReference } from '../reference/fleet-reference.js';
import { fetchReportInputs, reportSources, type ReportInputs } from './inputs.js';
import { lakeFiles } from './lake-files.js';
import type { Fingerprint, ReportModel } from './model.js';
import {
  addMonths,
  lastMonth,
  MAX_PERIOD_MONTHS,
  monthPeriod,
  parsePeriod,
  quarterOf,
  rangePeriod,
  type Period,
} from './period.js';
import { accidentSection } from './sections/accidents.js';
import { appendixSection } from './sections/appendix.js';
import { buildContext } from './sections/build-context.js';
import { changesSection } from './sections/changes.js';
import { complianceSection } from './sections/data-compliance.js';
import { disengagementSection } from './sections/disengagements.js';
import { exposureSection } from './sections/exposure.js';
import { flagsOf } from './sections/flags.js';
import { fleetSection } from './sections/fleet.js';
import { gatesSection } from './sections/gates.js';
import { headerSection } from './sections/header.js';
import { mapSection } from './sections/map.js';
import { monthsOf } from './sections/months.js';
import { safetySection } from './sections/safety-events.js';
import { systemHealthSection } from './sections/system-health.js';
import { violationSection } from './sections/violations.js';
import { resolveReportThresholds, type ReportThresholds } from './thresholds.js';

export interface BuildReportOptions {
  /** A company id, or `all` for the fleet-wide report. */
  company: string;
  /** A month, a quarter or a span of months (Beijing time): a Period or its id (`YYYY-MM`, `YYYY-Qn`, `YYYY-MM..YYYY-MM`). */
  period: Period | string;
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
export function fingerprintOf(
  inputs: Pick<ReportInputs, 'company' | 'sources' | 'thresholds' | 'fleet' | 'period'>,
): Fingerprint {
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
  // A month's identity is spelt as before periods existed, so monthly fingerprints stay what they were.
  const p = inputs.period;
  h.update(
    `avlog.monthly-report/1\ncompany=${inputs.company}\n${p.kind === 'month' ? `month=${p.id}` : `period=${p.id}`}\n`,
  );
  for (const s of hashes) h.update(`source=${s}\n`);
  h.update(`thresholds=${thresholdsJson}\n`);
  h.update(`fleet=${fleetHash ?? 'none'}\n`);
  return {
    sha256: h.digest('hex'),
    sources: hashes.length,
    source_sha256s: hashes,
    thresholds_sha256: sha256(thresholdsJson),
    fleet_reference_sha256: fleetHash,
  };
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
  const soFar = {
    header,
    fleet,
    exposure,
    disengagements,
    accidents,
    violations,
    safety_events,
    system_health,
    data_compliance,
  };
  const months = monthsOf(ctx);
  const changes = changesSection(ctx, soFar);
  const appendix = appendixSection(ctx);
  const flags = flagsOf(ctx, soFar, appendix);
  return {
    kind: 'avlog.report',
    version: 2,
    company: inputs.company,
    period: inputs.period.id,
    period_kind: inputs.period.kind,
    has_data: ctx.cur.has_data,
    months,
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

/**
 * Builds the report of a company (or `all`) for a month, a quarter or a span of months, from the lake through the
 * caller's scope. Throws RangeError on a malformed period.
 */
export async function buildReport(repo: LakeRepository, scope: Scope, o: BuildReportOptions): Promise<ReportModel> {
  const period = typeof o.period === 'string' ? parsePeriod(o.period) : o.period;
  const thresholds = resolveReportThresholds(o.thresholds);
  const fleet = o.fleet === undefined ? findFleetReference(repo.db.paths.root) : o.fleet;
  const src = reportSources(repo, scope, o.company, period);
  const key = `${scope.role}:${scope.company ?? ''}:${fingerprintOf({ company: o.company, period, sources: src.sources, thresholds, fleet }).sha256}`;
  const cached = o.cache?.get(key);
  if (cached) return cached;
  const t = performance.now();
  const inputs = await fetchReportInputs(repo, scope, { company: o.company, period, thresholds, fleet }, src);
  inputs.timings.queries = performance.now() - t;
  const model = reportFromInputs(inputs, (o.now?.() ?? new Date()).toISOString());
  o.cache?.set(key, model);
  return model;
}

/** One report the lake can answer: a company (or `all`) and a period with data, and how many source files it holds. */
export interface ReportIndexRow {
  company: string;
  period: string;
  kind: Period['kind'];
  /** First and last month of the period. */
  first_month: string;
  last_month: string;
  telemetry_files: number;
  event_files: number;
}

/**
 * The reports the lake can answer, read from its partition folders (no query, however large the lake): per company
 * (and `all` for an unscoped caller) every month with telemetry or events, every quarter with any, and the whole
 * test — its first month with data to its last. Newest first (by last month: a month, then its quarter, then a
 * whole test ending there); within one period `all`, then companies by id.
 * `kinds` picks which kinds of period to list.
 */
export function reportIndex(
  repo: LakeRepository,
  scope: Scope,
  kinds: readonly Period['kind'][] = ['month', 'quarter', 'range'],
): ReportIndexRow[] {
  // company → month → source ids
  const byCompany = new Map<string, Map<string, { telemetry: Set<string>; events: Set<string> }>>();
  for (const f of lakeFiles(repo.db.paths, {
    fromDate: null,
    toDate: null,
    companies: scope.company !== undefined ? [scope.company] : null,
  })) {
    for (const company of scope.company === undefined ? [f.company, 'all'] : [f.company]) {
      let months = byCompany.get(company);
      if (!months) byCompany.set(company, (months = new Map()));
      const month = f.date.slice(0, 7);
      let e = months.get(month);
      if (!e) months.set(month, (e = { telemetry: new Set(), events: new Set() }));
      (f.table === 'telemetry' ? e.telemetry : e.events).add(f.source_id);
    }
  }
  const out: ReportIndexRow[] = [];
  for (const [company, months] of byCompany) {
    const row = (p: Period): ReportIndexRow => {
      const tel = new Set<string>();
      const ev = new Set<string>();
      for (const m of p.months) {
        for (const s of months.get(m)?.telemetry ?? []) tel.add(s);
        for (const s of months.get(m)?.events ?? []) ev.add(s);
      }
      return {
        company,
        period: p.id,
        kind: p.kind,
        first_month: p.months[0] as string,
        last_month: lastMonth(p),
        telemetry_files: tel.size,
        event_files: ev.size,
      };
    };
    const sorted = [...months.keys()].sort();
    if (kinds.includes('month')) for (const m of sorted) out.push(row(monthPeriod(m)));
    if (kinds.includes('quarter')) for (const q of new Set(sorted.map(quarterOf))) out.push(row(parsePeriod(q)));
    if (kinds.includes('range') && sorted.length) {
      // a test longer than a report may cover: its last MAX_PERIOD_MONTHS months
      const last = sorted[sorted.length - 1] as string;
      const earliest = addMonths(last, 1 - MAX_PERIOD_MONTHS);
      out.push(row(rangePeriod((sorted[0] as string) < earliest ? earliest : (sorted[0] as string), last)));
    }
  }
  const order = (c: string) => (c === 'all' ? '' : c);
  const kindOrder = { month: 0, quarter: 1, range: 2 };
  return out.sort(
    (a, b) =>
      b.last_month.localeCompare(a.last_month) ||
      kindOrder[a.kind] - kindOrder[b.kind] ||
      b.first_month.localeCompare(a.first_month) ||
      order(a.company).localeCompare(order(b.company)),
  );
}

/** The whole test of a company (or `all`): its first to its last month with data, or null without any. */
export function wholeTestPeriod(repo: LakeRepository, scope: Scope, company: string): Period | null {
  const row = reportIndex(repo, scope, ['range']).find((r) => r.company === company);
  return row ? rangePeriod(row.first_month, row.last_month) : null;
}
