import { pulseProfile } from '../kinematics.js';
import type { SimEvent, Tier } from '../vocab.js';
import { Scripted, type DriveContext } from './incident.js';
import { BRAKE_CAUSES } from './causes.js';

/** Peak accelerations per braking tier, m/s²: each tier's threshold minus a margin, short of the next tier. */
const BRAKE_PEAK: Readonly<Record<Tier, readonly [number, number]>> = {
  low: [-3.8, -3.3],
  medium: [-5.6, -4.3],
  high: [-7.6, -6.3],
};
/** Speeding targets per tier, as a fraction above the limit. */
const SPEEDING_EXCESS: Readonly<Record<Tier, readonly [number, number]>> = {
  low: [0.13, 0.17],
  medium: [0.26, 0.4],
  high: [0.56, 0.65],
};

function motionReady(ctx: DriveContext): boolean {
  return (
    ctx.driver.profile === null &&
    ctx.driver.speedOverride === null &&
    !ctx.driver.inCorner() &&
    ctx.k >= ctx.driver.holdUntil
  );
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
    const brake = ctx.emit('harsh_brake', {
      logged: false,
      cause,
      window: { k0: ctx.k, k1: this.done, tier: this.tier },
    });
    if (this.tier === 'high' && ctx.mode === 'autonomous')
      ctx.emit('emergency_manoeuvre', { initiator: 'system', cause, related: brake });
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
    ctx.emit('harsh_accel', {
      logged: false,
      cause: 'aggressive_launch',
      window: { k0: ctx.k, k1: this.done, tier: null },
    });
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
    this.event = ctx.emit('speeding', {
      logged: false,
      cause: ctx.mode === 'autonomous' ? 'map_limit_mismatch' : 'driver_speeding',
      window: { k0: ctx.k, k1: ctx.k, tier: this.tier },
    });
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
