import type { Rng } from '../prng.js';
import { MinimalRisk, HumanDisengagement, PlannedExit, SystemTakeover } from './takeovers.js';
import { Collision, RecorderFault, SensorGlitch, VehicleFailure } from './faults.js';
import type { Incident } from './incident.js';
import { HarshAccel, HarshBrake, Speeding } from './manoeuvres.js';

/** Rates per driving hour. Driverless vehicles (remote operator, no one aboard to drive) have their own script. */
const RATES_WITH_DRIVER = {
  humanDisengagement: 0.8,
  systemTakeover: 0.3,
  torTimeout: 0.04,
  plannedExit: 0.3,
  sensorGlitch: 0.4,
  recorderFault: 0.12,
  collision: 0.1,
  vehicleFailure: 0.03,
  brakeLow: 1.0,
  brakeMedium: 0.4,
  brakeHigh: 0.12,
  harshAccel: 0.5,
  speedingLow: 0.4,
  speedingMedium: 0.2,
  speedingHigh: 0.07,
  sharpTurn: 0.6,
} as const;
const RATES_DRIVERLESS = {
  humanDisengagement: 0.6,
  failureMrm: 0.2,
  passengerStop: 0.08,
  plannedExit: 0.3,
  sensorGlitch: 0.4,
  recorderFault: 0.12,
  collision: 0.08,
  vehicleFailure: 0.03,
  brakeLow: 0.6,
  brakeMedium: 0.25,
  brakeHigh: 0.08,
  harshAccel: 0.3,
  speedingLow: 0.25,
  speedingMedium: 0.1,
  speedingHigh: 0.03,
  sharpTurn: 0.4,
} as const;

export interface IncidentPlan {
  readonly incidents: Incident[];
  /** How many corners to take as sharp turns. */
  readonly sharpTurns: number;
}

/**
 * Draws a drive's incidents: Poisson counts from the rates for its expected duration, at uniform times between
 * `from` and `to` seconds. `eventScale` multiplies every rate (more events per hour for denser demos).
 */
export function planIncidents(
  rng: Rng,
  driverless: boolean,
  from: number,
  to: number,
  eventScale: number,
): IncidentPlan {
  const hours = Math.max(0, to - from) / 3600;
  const incidents: Incident[] = [];
  const times = (rate: number): number[] => {
    const n = rng.poisson(rate * hours * eventScale);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(rng.range(from, to));
    return out;
  };
  const rates: Record<string, number> = driverless ? RATES_DRIVERLESS : RATES_WITH_DRIVER;
  const r = (name: string): number => rates[name] ?? 0;
  for (const t of times(r('humanDisengagement'))) incidents.push(new HumanDisengagement(t));
  for (const t of times(r('systemTakeover'))) incidents.push(new SystemTakeover(t));
  for (const t of times(r('torTimeout'))) incidents.push(new MinimalRisk(t, 'tor_timeout'));
  for (const t of times(r('failureMrm'))) incidents.push(new MinimalRisk(t, 'failure'));
  for (const t of times(r('passengerStop'))) incidents.push(new MinimalRisk(t, 'passenger'));
  for (const t of times(r('plannedExit'))) incidents.push(new PlannedExit(t));
  for (const t of times(r('sensorGlitch'))) incidents.push(new SensorGlitch(t));
  for (const t of times(r('recorderFault'))) incidents.push(new RecorderFault(t));
  for (const t of times(r('collision'))) incidents.push(new Collision(t));
  for (const t of times(r('vehicleFailure'))) incidents.push(new VehicleFailure(t));
  for (const t of times(r('brakeLow'))) incidents.push(new HarshBrake(t, 'low'));
  for (const t of times(r('brakeMedium'))) incidents.push(new HarshBrake(t, 'medium'));
  for (const t of times(r('brakeHigh'))) incidents.push(new HarshBrake(t, 'high'));
  for (const t of times(r('harshAccel'))) incidents.push(new HarshAccel(t));
  for (const t of times(r('speedingLow'))) incidents.push(new Speeding(t, 'low'));
  for (const t of times(r('speedingMedium'))) incidents.push(new Speeding(t, 'medium'));
  for (const t of times(r('speedingHigh'))) incidents.push(new Speeding(t, 'high'));
  incidents.sort((a, b) => a.trigger - b.trigger);
  return { incidents, sharpTurns: rng.poisson(r('sharpTurn') * hours * eventScale) };
}
