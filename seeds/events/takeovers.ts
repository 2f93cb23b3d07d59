import { stopProfile } from '../kinematics.js';
import type { Initiator, SimEvent } from '../vocab.js';
import { idleAutonomous, Scripted, type DriveContext } from './incident.js';
import { ADS_FAULTS, DRIVER_CAUSES, ODD_EXITS, REMOTE_CAUSES, REMOTE_COMMANDS, SENSOR_FAULTS } from './causes.js';

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
    ctx.emit('disengagement', {
      initiator: ctx.driverless ? 'remote' : 'driver',
      cause,
      logged: !ctx.rng.chance(0.12),
    });
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
