import { stopProfile } from '../kinematics.js';
import type { InjuryLevel, SimEvent } from '../vocab.js';
import { idleAutonomous, Scripted, type DriveContext } from './incident.js';
import { COLLISION_COUNTERPARTS, RECORDER_FAULTS, SENSOR_FAULTS, VEHICLE_FAULTS } from './causes.js';

/** A transient sensor fault the ADS rides through. */
export class SensorGlitch extends Scripted {
  readonly channel = 'mode';

  tryStart(ctx: DriveContext): boolean {
    if (ctx.mode !== 'autonomous') return false;
    ctx.emit('sensor_failure', {
      initiator: 'system',
      cause: ctx.rng.pick(SENSOR_FAULTS),
      kEnd: ctx.k + Math.round(ctx.rng.range(0.5, 8) * ctx.hz),
    });
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
    if (ctx.v < 5 || ctx.driver.profile !== null || ctx.driver.speedOverride !== null || ctx.driver.inCorner())
      return false;
    const r = ctx.rng.next();
    const injury: InjuryLevel =
      r < 0.55 ? 'none' : r < 0.82 ? 'minor' : r < 0.94 ? 'moderate' : r < 0.99 ? 'serious' : 'fatal';
    const crash = ctx.emit('collision', { severity: injury, cause: ctx.rng.pick(COLLISION_COUNTERPARTS) });
    const hold = Math.max(ctx.rng.range(0.35, 0.6), 4 / ctx.hz);
    ctx.driver.startProfile(stopProfile(ctx.rng.range(3.4, 3.9), 0, { peak: -ctx.rng.range(6.6, 8.4), hold }), ctx.t);
    this.brake = ctx.emit('harsh_brake', {
      logged: false,
      related: crash,
      cause: 'collision',
      window: { k0: ctx.k, k1: ctx.k, tier: null },
    });
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
