/** A company id names a lake partition folder: letters, digits, `_`, `-`, `.`; not `.`-led; ≤ 64 characters. */
const COMPANY_ID = /^[\p{L}\p{N}_-][\p{L}\p{N}_.-]{0,63}$/u;
/** Vehicle ids are stored, not used in paths: any printable text up to 64 characters (plates use `·`). */
const VEHICLE_ID = /^[^\p{Cc}/\\]{1,64}$/u;

export function isCompanyId(s: string): boolean {
  return COMPANY_ID.test(s);
}

export function isVehicleId(s: string): boolean {
  return VEHICLE_ID.test(s);
}
