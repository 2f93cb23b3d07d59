import { headerKey } from './layouts.js';
import { parseMonthHeader } from './normalize.js';

/** The regulator formats avlog reads, as recorded in the catalog's `format`. */
export const REGULATOR_FORMATS = ['ca-dmv-mileage', 'ca-dmv-disengagement', 'nhtsa-sgo'] as const;
export type RegulatorFormat = (typeof REGULATOR_FORMATS)[number];

/**
 * Recognises a regulator CSV by its header alone (file names vary): a CA DMV mileage report has manufacturer,
 * permit, VIN, month columns and `ANNUAL TOTAL`; a CA DMV disengagement report has manufacturer, permit, date,
 * VIN, "initiated by" and "description of facts"; an NHTSA Standing General Order report has report id and
 * version, reporting entity and incident date. Anything else is null (a road-test log).
 */
export function detectRegulatorFormat(columns: readonly string[]): RegulatorFormat | null {
  const keys = new Set(columns.map(headerKey));
  const list = [...keys];
  const has = (k: string) => keys.has(k);
  const starts = (p: string) => list.some((k) => k.startsWith(p));
  const vin = has('VIN NUMBER') || has('VIN');
  if (has('MANUFACTURER') && has('PERMIT NUMBER') && vin) {
    if (has('ANNUAL TOTAL') && columns.some((c) => parseMonthHeader(c) !== null)) return 'ca-dmv-mileage';
    if (has('DATE') && starts('DISENGAGEMENT INITIATED BY') && starts('DESCRIPTION OF FACTS'))
      return 'ca-dmv-disengagement';
  }
  if (has('REPORT ID') && has('REPORT VERSION') && has('REPORTING ENTITY') && has('INCIDENT DATE')) return 'nhtsa-sgo';
  return null;
}
