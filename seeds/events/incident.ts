import type { Driver } from '../kinematics.js';
import type { Rng } from '../prng.js';
import type { DriveMode, Initiator, SeedEventKind, Severity, SimEvent } from '../vocab.js';

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

export abstract class Scripted implements Incident {
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

export function idleAutonomous(ctx: DriveContext, minSpeed: number): boolean {
  return (
    ctx.mode === 'autonomous' && ctx.v >= minSpeed && ctx.driver.profile === null && ctx.driver.speedOverride === null
  );
}
