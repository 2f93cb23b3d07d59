import { EVENT_WINDOW, SPEEDING_MARGIN, WINDOW_TOLERANCE } from '../vocabulary/thresholds.js';

/** An approval gate: cumulative autonomous hours and/or km; met when either target is reached (and, if `clean`, the record is clean). */
export interface Gate {
  id: string;
  label_zh: string;
  label_en: string;
  /** Cumulative autonomous hours to reach, or null. */
  hours: number | null;
  /** Cumulative autonomous km to reach, or null. */
  km: number | null;
  /** Also requires zero traffic violations and zero at-fault accidents. */
  clean: boolean;
}

/**
 * Every number a report depends on. Carried in the report (and hashed into its fingerprint) so that it can be
 * reproduced; each is a default a caller can override. "Domain brief" is `../shared/docs/domain.md`.
 */
export interface ReportThresholds {
  /** Required position rate, Hz: an autonomous interval between samples counts as covered when ≤ 1 / rate (+ 1 ms). */
  positionHz: number;
  /** A recording gap: consecutive samples of a drive further apart than this, s. */
  gapS: number;
  /** The event record around an incident (Shenzhen: ≥ 90 s before; China 2022 draft: 90 s before, 30 s after). */
  window: { beforeS: number; afterS: number };
  /** A window is complete when samples reach both ends within `edgeS` and no gap inside exceeds `maxGapS` (as incidentDetail). */
  windowTolerance: { edgeS: number; maxGapS: number };
  /** Speeding: speed above the posted limit × (1 + tolerance). */
  speedingTolerance: number;
  /** Safety officers per driverless vehicle at least (Nanshan's driverless pilot: 1 : 3). */
  officersPerDriverless: number;
  /** Collision severities that stop a company's testing in Guangdong (with a destroyed vehicle). */
  stopTestingSeverities: string[];
  /** Damage values (from an imported record's detail) that stop testing. */
  stopTestingDamage: string[];
  /** Records must be kept at least this long (national rule: 1 year), days. */
  retentionDays: number;
  gates: Gate[];
  /** Grid cell the map's routes are thinned to, degrees (≈ 200 m). */
  mapCellDeg: number;
  /**
   * A rate is printed with a small-exposure caveat below `minEvents` events (with 10 events the exact 95 % interval
   * already spans a factor of 3.8, 4.8–18.4) or below the distance of its own unit (per 1,000 km from less than
   * 1,000 km extrapolates beyond what was driven).
   */
  rateCaveat: { minEvents: number };
}

export const DEFAULT_REPORT_THRESHOLDS: ReportThresholds = {
  positionHz: 1,
  gapS: WINDOW_TOLERANCE.maxGapS,
  window: { beforeS: EVENT_WINDOW.beforeS, afterS: EVENT_WINDOW.afterS },
  windowTolerance: { edgeS: WINDOW_TOLERANCE.edgeS, maxGapS: WINDOW_TOLERANCE.maxGapS },
  speedingTolerance: SPEEDING_MARGIN,
  officersPerDriverless: 1 / 3,
  stopTestingSeverities: ['serious', 'fatal'],
  stopTestingDamage: ['destroyed', 'total_loss'],
  retentionDays: 365,
  gates: [
    {
      id: 'national_demo',
      label_zh: '国家示范应用门槛：≥240 小时或 ≥1,000 公里，零违法、零责任事故',
      label_en: 'National demonstration gate: ≥ 240 h or ≥ 1,000 km, zero violations, zero at-fault accidents',
      hours: 240,
      km: 1000,
      clean: true,
    },
    {
      id: 'nanshan_1200h',
      label_zh: '南山阶段门槛：1,200 小时',
      label_en: 'Nanshan stage gate: 1,200 h',
      hours: 1200,
      km: null,
      clean: false,
    },
    {
      id: 'nanshan_5000km',
      label_zh: '南山阶段门槛：5,000 公里',
      label_en: 'Nanshan stage gate: 5,000 km',
      hours: null,
      km: 5000,
      clean: false,
    },
    {
      id: 'nanshan_20000km',
      label_zh: '南山阶段门槛：20,000 公里',
      label_en: 'Nanshan stage gate: 20,000 km',
      hours: null,
      km: 20000,
      clean: false,
    },
  ],
  mapCellDeg: 0.002,
  rateCaveat: { minEvents: 10 },
};

/** Defaults with overrides applied (shallow, `window` and `windowTolerance` merged); throws RangeError on a bad value. */
export function resolveReportThresholds(overrides: Partial<ReportThresholds> = {}): ReportThresholds {
  const t: ReportThresholds = {
    ...DEFAULT_REPORT_THRESHOLDS,
    ...overrides,
    window: { ...DEFAULT_REPORT_THRESHOLDS.window, ...overrides.window },
    windowTolerance: { ...DEFAULT_REPORT_THRESHOLDS.windowTolerance, ...overrides.windowTolerance },
    rateCaveat: { ...DEFAULT_REPORT_THRESHOLDS.rateCaveat, ...overrides.rateCaveat },
  };
  const positive: [string, number][] = [
    ['positionHz', t.positionHz],
    ['gapS', t.gapS],
    ['officersPerDriverless', t.officersPerDriverless],
    ['retentionDays', t.retentionDays],
    ['mapCellDeg', t.mapCellDeg],
  ];
  for (const [k, v] of positive)
    if (!Number.isFinite(v) || v <= 0)
      throw new RangeError(`report threshold ${k} must be a positive number, got ${String(v)}`);
  for (const [k, v] of [
    ['window.beforeS', t.window.beforeS],
    ['window.afterS', t.window.afterS],
    ['speedingTolerance', t.speedingTolerance],
    ['windowTolerance.edgeS', t.windowTolerance.edgeS],
    ['windowTolerance.maxGapS', t.windowTolerance.maxGapS],
    ['rateCaveat.minEvents', t.rateCaveat.minEvents],
  ] as const) {
    if (!Number.isFinite(v) || v < 0)
      throw new RangeError(`report threshold ${k} must be a number ≥ 0, got ${String(v)}`);
  }
  for (const g of t.gates)
    if (g.hours === null && g.km === null) throw new RangeError(`gate ${g.id} needs hours or km`);
  return t;
}
