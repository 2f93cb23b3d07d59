import { MODES, type Mode } from '../ingest/schema/vocab.js';

/**
 * The code of each driving mode where a column holds it as a number (the map's Arrow `mode`, the report's route
 * points, the demo generator's traces): its index in `MODES`.
 */
export const MODE_CODES = { autonomous: 0, manual: 1, remote: 2, unknown: 3 } as const satisfies Record<Mode, number>;

/** The mode of a code; `unknown` for a code that is none. */
export const modeOfCode = (code: number): Mode => MODES[code] ?? 'unknown';

/** Modes a vehicle is driven in (`unknown` is a log that does not say). */
export const DRIVEN_MODES = ['autonomous', 'manual', 'remote'] as const satisfies readonly Mode[];
export type DrivenMode = (typeof DRIVEN_MODES)[number];

/** Modes in which a person drives: leaving autonomy for one is a disengagement, coming back an activation. */
export const HUMAN_MODES = ['manual', 'remote'] as const satisfies readonly DrivenMode[];
