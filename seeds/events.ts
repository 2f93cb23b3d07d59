import { pulseProfile, stopProfile, type Driver } from './kinematics.js';
import type { Rng } from './prng.js';
import type { DriveMode, InjuryLevel, Initiator, SeedEventKind, Severity, SimEvent, Tier } from './vocab.js';

/** What an incident sees and may change while the drive is simulated, one sample at a time. */
export interface DriveContext {
  readonly k: number;
  readonly t: number;
  readonly hz: number;
  readonly v: number;
  readonly limit: number;
  readonly mode: DriveMode;
  readonly driverless: boolean;
  readonly driver: Driver;
  readonly rng: Rng;
  setMode(mode: DriveMode): void;
  emit(kind: SeedEventKind, spec?: EmitSpec): SimEvent;
  addGap(k0: number, samples: number): void;
  endDriveAfter(seconds: number): void;
}

export interface EmitSpec {
  initiator?: Initiator;
  cause?: string;
  severity?: Severity;
  logged?: boolean;
  kEnd?: number;
  related?: SimEvent;
  window?: SimEvent['window'];
}

export type Channel = 'mode' | 'motion';

/**
 * A scripted happening in a drive. Mode incidents (disengagements, failures, exits, collisions) run one at a time;
 * motion incidents (harsh manoeuvres, speeding) run when no mode incident is busy, or while one waits passively.
 */
export interface Incident {
  readonly trigger: number;
  readonly channel: Channel;
  readonly passive: boolean;
  /** Tries to begin at this sample; false means "not now, ask again". */
  tryStart(ctx: DriveContext): boolean;
  /** Advances one sample after the start; true when finished. */
  step(ctx: DriveContext): boolean;
}

const DRIVER_CAUSES = ['unexpected_road_user', 'perception_uncertainty', 'planning_hesitation', 'construction_cones', 'aggressive_cut_in', 'precautionary', 'illegal_parking_blocking_lane', 'traffic_police_gesture'] as const;
const REMOTE_CAUSES = ['blocked_lane', 'vehicle_stuck', 'unprotected_left_turn_deadlock', 'traffic_police_gesture', 'pickup_point_inaccessible'] as const;
const ADS_FAULTS = ['planning_timeout', 'localization_degraded', 'prediction_module_crash', 'compute_overtemperature'] as const;
const SENSOR_FAULTS = ['lidar_front_blocked', 'camera_front_glare', 'radar_timeout', 'gnss_degraded', 'imu_dropout'] as const;
const ODD_EXITS = ['construction_zone', 'heavy_rain', 'road_closure', 'school_zone', 'outside_mapped_area'] as const;
const REMOTE_COMMANDS = ['proceed', 'nudge_around_obstacle', 'reroute', 'slow_pass', 'pull_over'] as const;
const BRAKE_CAUSES = ['cut_in', 'lead_vehicle_braking', 'pedestrian_crossing', 'e_scooter', 'phantom_obstacle', 'late_amber_light'] as const;
const COLLISION_COUNTERPARTS = ['rear_ended_by_car', 'side_swipe_car', 'e_scooter_contact', 'pedestrian_contact', 'bollard_contact', 'delivery_tricycle'] as const;
const VEHICLE_FAULTS = ['brake_pressure_low', 'steering_actuator_fault', 'low_voltage_12v', 'tyre_pressure_loss'] as const;
const RECORDER_FAULTS = ['storage_write_error', 'buffer_overflow', 'power_interruption'] as const;

/** Peak accelerations per braking tier, m/s²: each tier's threshold minus a margin, short of the next tier. */
const BRAKE_PEAK: Readonly<Record<Tier, readonly [number, number]>> = { low: [-3.8, -3.3], medium: [-5.6, -4.3], high: [-7.6, -6.3] };
/** Speeding targets per tier, as a fraction above the limit. */
const SPEEDING_EXCESS: Readonly<Record<Tier, readonly [number, number]>> = { low: [0.13, 0.17], medium: [0.26, 0.4], high: [0.56, 0.65] };

abstract class Scripted implements Incident {
  readonly trigger: number;
  abstract readonly channel: Channel;
  passive = false;
  protected phase = 0;
  protected until = 0;

  constructor(trigger: number) {
    this.trigger = trigger;
  }

  abstract tryStart(ctx: DriveContext): boolean;
  abstract step(ctx: DriveContext): boolean;

  protected wait(ctx: DriveContext, seconds: number): void {
    this.until = ctx.k + Math.max(1, Math.round(seconds * ctx.hz));
  }

  protected waiting(ctx: DriveContext): boolean {
    return ctx.k < this.until;
  }
}

function idleAutonomous(ctx: DriveContext, minSpeed: number): boolean {
  return ctx.mode === 'autonomous' && ctx.v >= minSpeed && ctx.driver.profile === null && ctx.driver.speedOverride === null;
}

/** After a takeover, the human or remote operator drives for a while, then hands back to the ADS. */
abstract class Takeover extends Scripted {
  readonly channel = 'mode';
  private commands: number[] = [];

  protected handOver(ctx: DriveContext, seconds: number): void {
    ctx.setMode(ctx.driverless ? 'remote' : 'manual');
    this.passive = true;
    this.wait(ctx, seconds);
    if (ctx.driverless) {
      const n = ctx.rng.int(1, 3);
      this.commands = [];
      for (let i = 0; i < n; i++) this.commands.push(ctx.k + Math.round(((i + 0.5) / n) * (this.until - ctx.k)));
    }
  }

  /** Steps the hand-over wait; true when autonomy has been resumed. */
  protected stepHandOver(ctx: DriveContext): boolean {
    if (this.commands[0] === ctx.k) {
      this.commands.shift();
      ctx.emit('remote_command', { initiator: 'remote', cause: ctx.rng.pick(REMOTE_COMMANDS) });
    }
    if (this.waiting(ctx)) return false;
    ctx.setMode('autonomous');
    ctx.emit('ads_activated', { initiator: ctx.driverless ? 'remote' : 'driver', cause: 'resume' });
    return true;
  }
}

/** The safety driver or the remote operator takes over on their own judgement. */
export class HumanDisengagement extends Takeover {
  tryStart(ctx: DriveContext): boolean {
    if (!idleAutonomous(ctx, ctx.driverless ? 0 : 2)) return false;
    const cause = ctx.rng.pick(ctx.driverless ? REMOTE_CAUSES : DRIVER_CAUSES);
    this.handOver(ctx, ctx.rng.range(15, 150));
    ctx.emit('disengagement', { initiator: ctx.driverless ? 'remote' : 'driver', cause, logged: !ctx.rng.chance(0.12) });
    return true;
  }

  step(ctx: DriveContext): boolean {
    return this.stepHandOver(ctx);
  }
}

/** An ADS or sensor fault raises a takeover request; the safety driver takes over seconds later. */
export class SystemTakeover extends Takeover {
  private tor: SimEvent | null = null;
  private cause = '';

  tryStart(ctx: DriveContext): boolean {
    if (ctx.driverless || !idleAutonomous(ctx, 3)) return false;
    const ads = ctx.rng.chance(0.5);
    this.cause = ctx.rng.pick(ads ? ADS_FAULTS : SENSOR_FAULTS);
    ctx.emit(ads ? 'ads_failure' : 'sensor_failure', { initiator: 'system', cause: this.cause });
    this.tor = ctx.emit('takeover_request', { initiator: 'system', cause: this.cause });
    this.wait(ctx, ctx.rng.range(1.2, 4.5));
    return true;
  }

  step(ctx: DriveContext): boolean {
    if (this.phase === 0) {
      if (this.waiting(ctx)) return false;
      if (this.tor !== null) this.tor.kEnd = ctx.k;
      this.handOver(ctx, ctx.rng.range(20, 150));
      ctx.emit('disengagement', { initiator: 'system', cause: this.cause });
      this.phase = 1;
      return false;
    }
    return this.stepHandOver(ctx);
  }
}

/**
 * The system gives up and performs a minimal-risk manoeuvre to a standstill: after a failure (driverless), a
 * passenger's emergency stop, or a takeover request nobody answered. The driver or remote operator then takes over.
 */
export class MinimalRisk extends Takeover {
  private readonly reason: 'failure' | 'passenger' | 'tor_timeout';
  private mrm: SimEvent | null = null;
  private tor: SimEvent | null = null;
  private cause = '';
  private initiator: Initiator = 'system';

  constructor(trigger: number, reason: 'failure' | 'passenger' | 'tor_timeout') {
    super(trigger);
    this.reason = reason;
  }

  tryStart(ctx: DriveContext): boolean {
    if (!idleAutonomous(ctx, this.reason === 'tor_timeout' ? 3 : 0) || ctx.driver.inCorner()) return false;
    if (this.reason === 'failure') {
      const ads = ctx.rng.chance(0.5);
      this.cause = ctx.rng.pick(ads ? ADS_FAULTS : SENSOR_FAULTS);
      ctx.emit(ads ? 'ads_failure' : 'sensor_failure', { initiator: 'system', cause: this.cause });
      this.beginMrm(ctx);
    } else if (this.reason === 'passenger') {
      this.cause = 'passenger_emergency_stop';
      this.initiator = 'passenger';
      this.beginMrm(ctx);
    } else {
      this.cause = 'tor_timeout';
      this.tor = ctx.emit('takeover_request', { initiator: 'system', cause: ctx.rng.pick(ADS_FAULTS) });
      this.wait(ctx, 4);
      this.phase = -1;
    }
    return true;
  }

  private beginMrm(ctx: DriveContext): void {
    this.mrm = ctx.emit('mrm_started', { initiator: this.initiator, cause: this.cause });
    ctx.driver.startProfile(stopProfile(ctx.rng.range(1.8, 2.4), 3), ctx.t);
    this.phase = 0;
  }

  step(ctx: DriveContext): boolean {
    switch (this.phase) {
      case -1:
        if (this.waiting(ctx)) return false;
        if (this.tor !== null) this.tor.kEnd = ctx.k;
        this.beginMrm(ctx);
        return false;
      case 0:
        if (ctx.v > 0) return false;
        if (this.mrm !== null) this.mrm.kEnd = ctx.k;
        ctx.emit('mrm_ended', { initiator: 'system', cause: this.cause });
        this.wait(ctx, ctx.rng.range(8, 45));
        this.phase = 1;
        return false;
      case 1:
        if (this.waiting(ctx)) return false;
        ctx.driver.profile = null;
        this.handOver(ctx, ctx.rng.range(20, 120));
        ctx.emit('disengagement', { initiator: this.initiator, cause: this.cause });
        this.phase = 2;
        return false;
      default:
        return this.stepHandOver(ctx);
    }
  }
}

/** A planned exit: the route leaves the ODD, the ADS is switched off on purpose (not a disengagement). */
export class PlannedExit extends Takeover {
  tryStart(ctx: DriveContext): boolean {
    if (!idleAutonomous(ctx, 1)) return false;
    const cause = ctx.rng.pick(ODD_EXITS);
    ctx.emit('odd_exit', { initiator: 'system', cause });
    ctx.emit('ads_deactivated', { initiator: ctx.driverless ? 'remote' : 'driver', cause: 'odd_exit' });
    this.handOver(ctx, ctx.rng.range(30, 240));
    return true;
  }

  step(ctx: DriveContext): boolean {
    return this.stepHandOver(ctx);
  }
}

/** The safety driver engages the ADS once the vehicle has left the depot. */
export class Activation extends Scripted {
  readonly channel = 'mode';

  tryStart(ctx: DriveContext): boolean {
    if (ctx.v < 3 || ctx.driver.profile !== null) return false;
    ctx.setMode('autonomous');
    ctx.emit('ads_activated', { initiator: 'driver', cause: 'route_start' });
    return true;
  }

  step(): boolean {
    return true;
  }
}

/** A transient sensor fault the ADS rides through. */
export class SensorGlitch extends Scripted {
  readonly channel = 'mode';

  tryStart(ctx: DriveContext): boolean {
    if (ctx.mode !== 'autonomous') return false;
    ctx.emit('sensor_failure', { initiator: 'system', cause: ctx.rng.pick(SENSOR_FAULTS), kEnd: ctx.k + Math.round(ctx.rng.range(0.5, 8) * ctx.hz) });
    return true;
  }

  step(): boolean {
    return true;
  }
}

/** The recorder loses a few seconds of telemetry and logs that it did. */
export class RecorderFault extends Scripted {
  readonly channel = 'mode';

  tryStart(ctx: DriveContext): boolean {
    if (ctx.driver.profile !== null) return false;
    const samples = Math.max(2, Math.round(ctx.rng.range(2, 10) * ctx.hz));
    ctx.addGap(ctx.k, samples);
    ctx.emit('recorder_fault', { initiator: 'system', cause: ctx.rng.pick(RECORDER_FAULTS), kEnd: ctx.k + samples });
    this.wait(ctx, samples / ctx.hz + 4);
    return true;
  }

  step(ctx: DriveContext): boolean {
    return !this.waiting(ctx);
  }
}

/** A collision: an impact deceleration, a stop, the ADS switched off, and the drive ends there. */
export class Collision extends Scripted {
  readonly channel = 'mode';
  private brake: SimEvent | null = null;

  tryStart(ctx: DriveContext): boolean {
    if (ctx.v < 5 || ctx.driver.profile !== null || ctx.driver.speedOverride !== null || ctx.driver.inCorner()) return false;
    const r = ctx.rng.next();
    const injury: InjuryLevel = r < 0.55 ? 'none' : r < 0.82 ? 'minor' : r < 0.94 ? 'moderate' : r < 0.99 ? 'serious' : 'fatal';
    const crash = ctx.emit('collision', { severity: injury, cause: ctx.rng.pick(COLLISION_COUNTERPARTS) });
    const hold = Math.max(ctx.rng.range(0.35, 0.6), 4 / ctx.hz);
    ctx.driver.startProfile(stopProfile(ctx.rng.range(3.4, 3.9), 0, { peak: -ctx.rng.range(6.6, 8.4), hold }), ctx.t);
    this.brake = ctx.emit('harsh_brake', { logged: false, related: crash, cause: 'collision', window: { k0: ctx.k, k1: ctx.k, tier: null } });
    return true;
  }

  step(ctx: DriveContext): boolean {
    if (this.phase === 0 && ctx.v === 0) {
      if (this.brake !== null && this.brake.window !== null) this.brake.window.k1 = ctx.k;
      if (ctx.mode === 'autonomous') {
        ctx.emit('ads_deactivated', { initiator: 'system', cause: 'post_collision' });
        ctx.setMode(ctx.driverless ? 'remote' : 'manual');
      }
      ctx.endDriveAfter(ctx.rng.range(120, 600));
      this.phase = 1;
    }
    return false;
  }
}

/** A vehicle (not ADS) failure: minimal-risk stop, takeover, and the drive ends. */
export class VehicleFailure extends Scripted {
  readonly channel = 'mode';
  private mrm: SimEvent | null = null;
  private cause = '';

  tryStart(ctx: DriveContext): boolean {
    if (!idleAutonomous(ctx, 3) || ctx.driver.inCorner()) return false;
    this.cause = ctx.rng.pick(VEHICLE_FAULTS);
    ctx.emit('vehicle_failure', { initiator: 'system', cause: this.cause });
    this.mrm = ctx.emit('mrm_started', { initiator: 'system', cause: this.cause });
    ctx.driver.startProfile(stopProfile(ctx.rng.range(1.8, 2.4), 3), ctx.t);
    return true;
  }

  step(ctx: DriveContext): boolean {
    if (this.phase === 0 && ctx.v === 0) {
      if (this.mrm !== null) this.mrm.kEnd = ctx.k;
      ctx.emit('mrm_ended', { initiator: 'system', cause: this.cause });
      this.phase = 1;
      this.wait(ctx, ctx.rng.range(5, 30));
    } else if (this.phase === 1 && !this.waiting(ctx)) {
      ctx.setMode(ctx.driverless ? 'remote' : 'manual');
      ctx.emit('disengagement', { initiator: 'system', cause: this.cause });
      ctx.endDriveAfter(ctx.rng.range(60, 300));
      this.phase = 2;
    }
    return false;
  }
}

function motionReady(ctx: DriveContext): boolean {
  return ctx.driver.profile === null && ctx.driver.speedOverride === null && !ctx.driver.inCorner() && ctx.k >= ctx.driver.holdUntil;
}

/** Harsh braking at a tier: a jerk-limited pulse held 0.6–2 s at the tier's threshold minus a margin. */
export class HarshBrake extends Scripted {
  readonly channel = 'motion';
  private readonly tier: Tier;
  private done = 0;

  constructor(trigger: number, tier: Tier) {
    super(trigger);
    this.tier = tier;
  }

  tryStart(ctx: DriveContext): boolean {
    if (!motionReady(ctx)) return false;
    const [lo, hi] = BRAKE_PEAK[this.tier];
    const peak = ctx.rng.range(lo, hi);
    const jIn = ctx.rng.range(12, 18);
    const jOut = ctx.rng.range(6, 10);
    const ramps = Math.abs(peak) / (2 * jIn) + Math.abs(peak) / (2 * jOut);
    const maxHold = (ctx.v - 1.5) / Math.abs(peak) - ramps;
    const minHold = Math.max(0.6, 4 / ctx.hz);
    if (maxHold < minHold || ctx.driver.clearDistance(0.5) < (ctx.v * ctx.v) / 2 + 40) return false;
    const hold = Math.min(ctx.rng.range(minHold, 2), maxHold);
    const profile = pulseProfile(peak, hold, jIn, jOut);
    ctx.driver.startProfile(profile, ctx.t);
    const duration = Math.abs(peak) / jIn + hold + Math.abs(peak) / jOut;
    this.done = ctx.k + Math.ceil(duration * ctx.hz) + 1;
    const cause = ctx.rng.pick(BRAKE_CAUSES);
    const brake = ctx.emit('harsh_brake', { logged: false, cause, window: { k0: ctx.k, k1: this.done, tier: this.tier } });
    if (this.tier === 'high' && ctx.mode === 'autonomous') ctx.emit('emergency_manoeuvre', { initiator: 'system', cause, related: brake });
    return true;
  }

  step(ctx: DriveContext): boolean {
    return ctx.k >= this.done && ctx.driver.profile === null;
  }
}

/** Harsh acceleration from low speed: +3.3…4 m/s² for 0.6–1.5 s. */
export class HarshAccel extends Scripted {
  readonly channel = 'motion';
  private done = 0;

  tryStart(ctx: DriveContext): boolean {
    if (!motionReady(ctx) || ctx.v < 0.5 || ctx.v > 0.4 * ctx.limit) return false;
    const peak = ctx.rng.range(3.3, 4);
    const jerk = ctx.rng.range(8, 12);
    const hold = Math.max(ctx.rng.range(0.6, 1.5), 4 / ctx.hz);
    const gain = peak * (hold + peak / jerk);
    const vEnd = ctx.v + gain;
    if (vEnd > 0.9 * ctx.limit) return false;
    const distance = ((ctx.v + vEnd) / 2) * (hold + (2 * peak) / jerk) + (vEnd * vEnd) / 2 + 40;
    if (ctx.driver.clearDistance(vEnd) < distance || ctx.driver.clearDistance(0.5) < distance) return false;
    ctx.driver.startProfile(pulseProfile(peak, hold, jerk, jerk), ctx.t);
    this.done = ctx.k + Math.ceil((hold + (2 * peak) / jerk) * ctx.hz) + 1;
    ctx.emit('harsh_accel', { logged: false, cause: 'aggressive_launch', window: { k0: ctx.k, k1: this.done, tier: null } });
    return true;
  }

  step(ctx: DriveContext): boolean {
    return ctx.k >= this.done && ctx.driver.profile === null;
  }
}

/** Speeding: the target speed is raised above the limit for several seconds, then brought back. */
export class Speeding extends Scripted {
  readonly channel = 'motion';
  private readonly tier: Tier;
  private event: SimEvent | null = null;
  private target = 0;
  private limit = 0;
  private hold = 0;
  private deadline = 0;

  constructor(trigger: number, tier: Tier) {
    super(trigger);
    this.tier = tier;
  }

  tryStart(ctx: DriveContext): boolean {
    if (!motionReady(ctx) || ctx.v < 0.7 * ctx.limit) return false;
    if (this.tier === 'high' && ctx.limit > 61 / 3.6) return false;
    const [lo, hi] = SPEEDING_EXCESS[this.tier];
    const target = ctx.limit * (1 + ctx.rng.range(lo, hi));
    const hold = ctx.rng.range(4, 12);
    const accel = (target * target - ctx.v * ctx.v) / (2 * 1.2);
    const need = accel + target * (hold + 2) + (target * target) / (2 * 1.4) + 60;
    if (ctx.driver.clearDistance(ctx.limit * 1.01) < need) return false;
    this.target = target;
    this.limit = ctx.limit;
    this.hold = hold;
    this.deadline = ctx.k + Math.round(30 * ctx.hz);
    ctx.driver.speedOverride = target;
    this.event = ctx.emit('speeding', { logged: false, cause: ctx.mode === 'autonomous' ? 'map_limit_mismatch' : 'driver_speeding', window: { k0: ctx.k, k1: ctx.k, tier: this.tier } });
    return true;
  }

  step(ctx: DriveContext): boolean {
    const window = this.event?.window ?? null;
    if (this.phase === 0) {
      if (ctx.v >= this.target - 0.3 || ctx.k >= this.deadline) {
        this.wait(ctx, this.hold);
        this.phase = 1;
      }
      return false;
    }
    if (this.phase === 1) {
      if (this.waiting(ctx)) return false;
      ctx.driver.speedOverride = null;
      this.phase = 2;
      return false;
    }
    if (ctx.v > this.limit && ctx.k < this.until + Math.round(60 * ctx.hz)) return false;
    if (window !== null) window.k1 = ctx.k;
    return true;
  }
}

/** Rates per driving hour. Driverless vehicles (remote operator, no one aboard to drive) have their own script. */
const RATES_WITH_DRIVER = {
  humanDisengagement: 0.8, systemTakeover: 0.3, torTimeout: 0.04, plannedExit: 0.3, sensorGlitch: 0.4, recorderFault: 0.12,
  collision: 0.1, vehicleFailure: 0.03, brakeLow: 1.0, brakeMedium: 0.4, brakeHigh: 0.12, harshAccel: 0.5,
  speedingLow: 0.4, speedingMedium: 0.2, speedingHigh: 0.07, sharpTurn: 0.6,
} as const;
const RATES_DRIVERLESS = {
  humanDisengagement: 0.6, failureMrm: 0.2, passengerStop: 0.08, plannedExit: 0.3, sensorGlitch: 0.4, recorderFault: 0.12,
  collision: 0.08, vehicleFailure: 0.03, brakeLow: 0.6, brakeMedium: 0.25, brakeHigh: 0.08, harshAccel: 0.3,
  speedingLow: 0.25, speedingMedium: 0.1, speedingHigh: 0.03, sharpTurn: 0.4,
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
export function planIncidents(rng: Rng, driverless: boolean, from: number, to: number, eventScale: number): IncidentPlan {
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
