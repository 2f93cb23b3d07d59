import type { Rng } from './prng.js';
import type { Constraint, RoutePath } from './path.js';

/**
 * Normal driving stays inside these so that detectors see nothing on clean data: harsh braking starts at −3 m/s²,
 * harsh acceleration at +3, harsh lateral at 3.5 (see docs: domain brief, safety metrics).
 */
export const NORMAL_LIMITS = { maxAccel: 1.8, maxBrake: 2.6, jerk: 2.5, trafficBrake: 1.5 } as const;
/** Braking for something ahead begins once the deceleration it needs reaches this, m/s². */
const BRAKE_TRIGGER = 0.8;
const K_P = 0.6;

/** An acceleration script that overrides the driver: an injected manoeuvre, an MRM, an impact. */
export interface AccelProfile {
  readonly kind: 'pulse' | 'to_stop';
  /** Acceleration at `tau` s after the start, given the current speed; null when the profile is over. */
  accel(tau: number, v: number): number | null;
}

/** Ramp to `peak` at `jerkIn` m/s³, hold `hold` s, ramp back to 0 at `jerkOut`: a harsh brake or launch. */
export function pulseProfile(peak: number, hold: number, jerkIn: number, jerkOut: number): AccelProfile {
  const t1 = Math.abs(peak) / jerkIn;
  const t2 = t1 + hold;
  const t3 = t2 + Math.abs(peak) / jerkOut;
  return {
    kind: 'pulse',
    accel(tau) {
      if (tau <= t1) return peak * (tau / t1);
      if (tau <= t2) return peak;
      if (tau <= t3) return peak * (1 - (tau - t2) / (t3 - t2));
      return null;
    },
  };
}

/**
 * Brakes to a standstill and stays there until the owner removes the profile: a minimal-risk manoeuvre, or an
 * impact (`impact` m/s² held `impactHold` s first) followed by braking at `decel`.
 */
export function stopProfile(decel: number, jerk: number, impact?: { peak: number; hold: number }): AccelProfile {
  const imp = impact ?? null;
  const rampIn = imp === null ? decel / jerk : Math.abs(imp.peak) / 60;
  const impactEnd = imp === null ? rampIn : rampIn + imp.hold;
  const settle = imp === null ? impactEnd : impactEnd + (Math.abs(imp.peak) - decel) / 20;
  return {
    kind: 'to_stop',
    accel(tau, v) {
      if (v <= 0) return 0;
      if (imp !== null) {
        if (tau <= rampIn) return imp.peak * (tau / rampIn);
        if (tau <= impactEnd) return imp.peak;
        if (tau <= settle) return imp.peak + ((tau - impactEnd) / (settle - impactEnd)) * (Math.abs(imp.peak) - decel);
        return -decel;
      }
      return tau <= rampIn ? -jerk * tau : -decel;
    },
  };
}

export interface DriverTraits {
  readonly cruise: number;
  readonly maxAccel: number;
}

export function driverTraits(rng: Rng): DriverTraits {
  return { cruise: rng.range(0.88, 0.96), maxAccel: rng.range(1.2, NORMAL_LIMITS.maxAccel) };
}

/** Stops at a vertex the route turns round at (or a pickup point): the car must stand still there. */
function isHardStop(c: Constraint): boolean {
  return c.reason === 'turnaround' || c.reason === 'pickup';
}

/** What the controller decided for one sample. */
export interface StepResult {
  /** A stop constraint was reached this sample (vehicle now standing). */
  stopped: Constraint | null;
}

/**
 * A speed controller that follows the road: cruise near the limit with traffic, brake smoothly (jerk-limited) for
 * corners, lower limits and stops seen ahead, dwell at stops. Speed is integrated so that the logged acceleration
 * is exactly the backward difference of the logged speed.
 */
export class Driver {
  s = 0;
  v = 0;
  a = 0;
  profile: AccelProfile | null = null;
  private profileStart = 0;
  /** Target speed while an injected speeding episode lasts, m/s. */
  speedOverride: number | null = null;
  holdUntil = 0;
  private readonly dt: number;
  private readonly path: RoutePath;
  private readonly traits: DriverTraits;
  private readonly rng: Rng;
  private traffic = 1;
  private trafficUntil = 0;
  private next = 0;

  constructor(path: RoutePath, traits: DriverTraits, hz: number, rng: Rng) {
    this.path = path;
    this.traits = traits;
    this.dt = 1 / hz;
    this.rng = rng;
  }

  startProfile(profile: AccelProfile, t: number): void {
    this.profile = profile;
    this.profileStart = t;
  }

  private pending(c: Constraint): boolean {
    return !c.served && (c.stop || c.sEnd >= this.s);
  }

  /** Distance to the next thing that would make the driver slow below `v`, m (Infinity if none). */
  clearDistance(v: number): number {
    const cs = this.path.constraints;
    for (let i = this.next; i < cs.length; i++) {
      const c = cs[i];
      if (c !== undefined && this.pending(c) && c.v < v) return c.s - this.s;
    }
    return Infinity;
  }

  inCorner(): boolean {
    const cs = this.path.constraints;
    for (let i = this.next; i < cs.length; i++) {
      const c = cs[i];
      if (c === undefined || c.s > this.s) return false;
      if (this.pending(c) && !c.stop) return true;
    }
    return false;
  }

  step(k: number, t: number, limit: number): StepResult {
    const dt = this.dt;
    const cs = this.path.constraints;
    while (this.next < cs.length) {
      const c = cs[this.next];
      if (c === undefined || !(c.served || (!c.stop && c.sEnd < this.s))) break;
      this.next++;
    }
    const v0 = this.v;
    let cmd: number;
    let stopped: Constraint | null = null;
    const profileCmd = this.profile === null ? null : this.profile.accel(t - this.profileStart + dt, v0);
    if (this.profile !== null && profileCmd === null) this.profile = null;
    if (profileCmd !== null) {
      cmd = profileCmd;
    } else if (k < this.holdUntil && v0 === 0) {
      cmd = 0;
    } else {
      cmd = this.control(t, limit);
      for (let i = this.next; i < cs.length; i++) {
        const c = cs[i];
        if (c === undefined || c.s - this.s > 30) break;
        if (!c.stop || c.served) continue;
        const d = c.s - this.s;
        const hard = isHardStop(c);
        const near = hard ? 1.5 : 12;
        if (v0 === 0 && d < near) {
          c.served = true;
          this.holdUntil = k + Math.round(c.dwell / dt);
          stopped = c;
          cmd = 0;
          // Turn round (or pull in) standing still: close the last few centimetres now, so the heading swings
          // at zero speed rather than while moving.
          if (hard && d > 0) this.s = c.s;
        } else if (v0 < 0.4 && d < near) {
          cmd = -Math.min(1, v0 / dt);
        } else if (!hard && d < -12 && v0 > 2) {
          c.served = true;
        }
        break;
      }
    }
    let v1 = v0 + cmd * dt;
    if (v1 < 0) v1 = 0;
    this.a = (v1 - v0) / dt;
    this.s += ((v0 + v1) / 2) * dt;
    this.v = v1;
    return { stopped };
  }

  private control(t: number, limit: number): number {
    const v = this.v;
    if (t >= this.trafficUntil) {
      const r = this.rng.next();
      this.traffic =
        r < 0.6 ? this.rng.range(0.92, 1) : r < 0.9 ? this.rng.range(0.72, 0.92) : this.rng.range(0.45, 0.72);
      this.trafficUntil = t + this.rng.range(20, 120);
    }
    let target = this.speedOverride ?? limit * Math.min(0.96, this.traits.cruise * this.traffic);
    let want = Infinity;
    const lookahead = this.s + (v * v) / (2 * BRAKE_TRIGGER) + 20;
    const cs = this.path.constraints;
    for (let i = this.next; i < cs.length; i++) {
      const c = cs[i];
      if (c === undefined || c.s > lookahead) break;
      if (!this.pending(c)) continue;
      if (!c.stop && c.s <= this.s) {
        if (c.v < target) target = c.v;
        continue;
      }
      const d = c.stop && !isHardStop(c) ? c.s - this.s - 1 : c.s - this.s;
      if (v <= c.v) continue;
      const need = (v * v - c.v * c.v) / (2 * Math.max(d, 0.3));
      // Close to a stop or corner, brake exactly as needed (no dead band): arrive at its speed, not above it.
      const trigger = d < 40 ? 0.2 : BRAKE_TRIGGER;
      if (need > trigger && -need < want) want = -need;
    }
    let des = K_P * (target - v);
    if (des > this.traits.maxAccel) des = this.traits.maxAccel;
    if (des < -NORMAL_LIMITS.trafficBrake) des = -NORMAL_LIMITS.trafficBrake;
    if (want < des) des = Math.max(want, -NORMAL_LIMITS.maxBrake);
    const dj = NORMAL_LIMITS.jerk * this.dt;
    const prev = this.a;
    return des > prev + dj ? prev + dj : des < prev - dj ? prev - dj : des;
  }
}
