/**
 * The column layouts of the regulator files avlog reads and writes, exactly as the regulators print them
 * (line breaks inside header cells included). Readers match columns loosely (`headerKey`); the CA DMV writer
 * prints these strings.
 */

/** CA DMV mileage report: these four, then one column per month (`DEC 2020` … `NOV 2021`), then the total. */
export const DMV_MILEAGE_LEAD = [
  'Manufacturer',
  'Permit Number',
  'VIN NUMBER',
  'Annual Total of Disengagements',
] as const;
export const DMV_MILEAGE_TOTAL = 'ANNUAL TOTAL';

/** CA DMV disengagement report, one row per disengagement. */
export const DMV_DISENGAGEMENT_HEADER = [
  'Manufacturer',
  'Permit Number',
  'DATE',
  'VIN NUMBER',
  'VEHICLE IS CAPABLE OF OPERATING WITHOUT A DRIVER\n(Yes or No)',
  'DRIVER PRESENT\n(Yes or No)',
  'DISENGAGEMENT INITIATED BY\n(AV System, Test Driver, Remote Operator, or Passenger)',
  'DISENGAGEMENT\nLOCATION\n(Interstate, Freeway, Highway, Rural Road, Street, or Parking Facility)',
  'DESCRIPTION OF FACTS CAUSING DISENGAGEMENT',
] as const;

/** A header cell folded for matching: line breaks and runs of blanks → one blank, parenthesised hints dropped, upper case. */
export function headerKey(cell: string): string {
  return cell
    .replace(/\([^)]*\)/gu, ' ')
    .replace(/[\s\u00a0]+/gu, ' ')
    .trim()
    .toUpperCase();
}

/** Index of the first column whose folded name passes `test`, or -1. */
export function findColumn(keys: readonly string[], test: (key: string) => boolean): number {
  return keys.findIndex(test);
}
