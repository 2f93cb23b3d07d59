import type { Severity } from '../ingest/schema/vocab.js';

/** Tiers of a threshold (harsh braking, speeding), lowest first. */
export const TIERS = ['low', 'medium', 'high'] as const satisfies readonly Severity[];
export type Tier = (typeof TIERS)[number];

/** Injury levels of a collision, worst first. */
export const INJURY_LEVELS = ['fatal', 'serious', 'moderate', 'minor', 'none'] as const satisfies readonly Severity[];
export type InjuryLevel = (typeof INJURY_LEVELS)[number];

/** Severity as one rank across the scales, so "most severe first" sorts tiers and injury levels together. */
export const SEVERITY_RANK = {
  fatal: 9,
  serious: 8,
  high: 7,
  moderate: 6,
  medium: 5,
  minor: 4,
  low: 3,
  none: 2,
  info: 1,
} as const satisfies Record<Severity, number>;
