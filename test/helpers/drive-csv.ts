/** Canonical telemetry CSV of one company's vehicles at 1 Hz from `t0` (ms since the epoch), northward at 11 m/s. */
export function driveCsv(t0: number): {
  rows: (from: number, to: number, vehicle: string) => string[];
  csv: (lines: string[]) => string;
} {
  const header = 'ts,company_id,vehicle_id,lat,lon,speed_mps,mode';
  return {
    /** Samples `from` … `to` − 1 (seconds after t0) of `vehicle`: the same second gives the same line. */
    rows: (from, to, vehicle) =>
      Array.from(
        { length: to - from },
        (_, k) =>
          `${new Date(t0 + (from + k) * 1000).toISOString()},acme,${vehicle},${(22.54 + (from + k) * 1e-4).toFixed(6)},114.05,11,autonomous`,
      ),
    csv: (lines) => `${header}\n${lines.join('\n')}\n`,
  };
}
