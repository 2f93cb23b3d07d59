import { planeBearingDeg as bearingDeg } from '../services/reference/geo/local-projection.js';
import { accelNoise, GpsError } from './gps.js';
import type { DriveContext, EmitSpec, Incident } from './events/incident.js';
import { planIncidents } from './events/plan.js';
import { Activation } from './events/takeovers.js';
import { Driver, driverTraits } from './kinematics.js';
import { measureEpisode } from './measure.js';
import { RoutePath, type PathOptions } from './path.js';
import type { Rng } from './prng.js';
import type { RoadGraph } from '../services/reference/roads/graph.js';
import { DriveTrace } from './trace.js';
import { MODE_CODE, type DriveMode, type SeedEventKind, type SimEvent } from './vocab.js';

export interface DriveSpec {
  readonly graph: RoadGraph;
  readonly legs: readonly (readonly number[])[];
  readonly expectedSeconds: number;
  readonly hz: number;
  /** GNSS error, m (σ per axis). */
  readonly gpsNoise: number;
  readonly driverless: boolean;
  readonly eventScale: number;
  readonly rng: Rng;
}

export interface SimulatedDrive {
  readonly trace: DriveTrace;
  /** In time order of their start sample. */
  readonly events: SimEvent[];
  /** Samples lost to GNSS dropouts and recorder faults. */
  readonly dropped: number;
}

const PATH_OPTIONS: PathOptions = {
  stopAtSignal: 0.4,
  stopAtJunction: 0.05,
  pickupDwell: [20, 90],
  endDwell: [15, 60],
};
/** A mode incident that cannot begin within this long after its time is dropped, s. */
const START_PATIENCE_S = 180;
/** GNSS dropouts: mean interval between them, s, and length in samples. */
const DROPOUT_EVERY_S = 300;
const DROPOUT_SAMPLES: readonly [number, number] = [1, 5];
/** Autonomy runs at least this long after a mode incident (a re-engagement) before the next may start, s. */
const MODE_REST_S = 10;
/** Quiet time after a harsh manoeuvre or speeding episode before the next may start, s: separate episodes. */
const MOTION_REST_S = 8;
/** Events, mode changes and measured episodes keep their telemetry this far either side, s. */
const PROTECT_S = 3;

/** Simulates one drive sample by sample, then adds sensor noise, dropouts and the ground truth of each episode. */
export function simulateDrive(spec: DriveSpec): SimulatedDrive {
  const sim = new DriveSim(spec);
  sim.run();
  return sim.finish();
}

class DriveSim implements DriveContext {
  k = 0;
  t = 0;
  mode: DriveMode;
  readonly hz: number;
  readonly driverless: boolean;
  readonly driver: Driver;
  readonly rng: Rng;
  private readonly spec: DriveSpec;
  private readonly path: RoutePath;
  private readonly trace: DriveTrace;
  private readonly events: SimEvent[] = [];
  private readonly gaps: [number, number][] = [];
  private endK: number | null = null;
  private limitNow = 0;

  constructor(spec: DriveSpec) {
    this.spec = spec;
    this.hz = spec.hz;
    this.driverless = spec.driverless;
    this.rng = spec.rng.fork('incidents');
    this.path = new RoutePath(spec.graph, spec.legs, spec.rng.fork('path'), PATH_OPTIONS);
    this.driver = new Driver(this.path, driverTraits(spec.rng.fork('traits')), spec.hz, spec.rng.fork('traffic'));
    this.trace = new DriveTrace(Math.ceil(spec.expectedSeconds * spec.hz * 1.3));
    this.mode = spec.driverless ? 'autonomous' : 'manual';
  }

  get v(): number {
    return this.driver.v;
  }

  get limit(): number {
    return this.limitNow;
  }

  setMode(mode: DriveMode): void {
    this.mode = mode;
  }

  emit(kind: SeedEventKind, spec: EmitSpec = {}): SimEvent {
    const e: SimEvent = {
      kind,
      k: this.k,
      kEnd: spec.kEnd ?? null,
      severity: spec.severity ?? null,
      initiator: spec.initiator ?? null,
      cause: spec.cause ?? null,
      logged: spec.logged ?? true,
      peak: null,
      speedLimit: null,
      related: spec.related ?? null,
      window: spec.window ?? null,
      sustainedS: null,
    };
    this.events.push(e);
    return e;
  }

  addGap(k0: number, samples: number): void {
    this.gaps.push([k0, samples]);
  }

  endDriveAfter(seconds: number): void {
    this.endK = this.k + Math.round(seconds * this.hz);
  }

  run(): void {
    const spec = this.spec;
    const hz = spec.hz;
    const startDwell = this.rng.range(10, 60);
    this.driver.holdUntil = Math.round(startDwell * hz);
    const plan = planIncidents(
      spec.rng.fork('plan'),
      spec.driverless,
      startDwell + 90,
      spec.expectedSeconds - 120,
      spec.eventScale,
    );
    this.path.injectSharpTurns(plan.sharpTurns, spec.rng.fork('sharp'));
    const modeQueue: Incident[] = plan.incidents.filter((i) => i.channel === 'mode');
    const motionQueue: Incident[] = plan.incidents.filter((i) => i.channel === 'motion');
    if (spec.driverless) this.emit('ads_activated', { initiator: 'remote', cause: 'dispatch' });
    else modeQueue.unshift(new Activation(startDwell + this.rng.range(5, 40)));
    let activeMode: Incident | null = null;
    let activeMotion: Incident | null = null;
    let mi = 0;
    let ni = 0;
    let motionRestAt = 0;
    let modeRestAt = 0;
    let arrived = false;
    const sample = this.path.emptySample();
    const proj = spec.graph.projection;
    const trace = this.trace;
    const maxK = Math.ceil((spec.expectedSeconds * 4 + 3600) * hz);
    for (let k = 0; ; k++) {
      this.k = k;
      this.t = k / hz;
      if (!arrived) {
        if (activeMode !== null && activeMode.step(this)) {
          activeMode = null;
          modeRestAt = k + Math.round(MODE_REST_S * hz);
        }
        if (activeMotion !== null && activeMotion.step(this)) {
          activeMotion = null;
          motionRestAt = k + Math.round(MOTION_REST_S * hz);
        }
        const nextMode = modeQueue[mi];
        if (
          activeMode === null &&
          activeMotion === null &&
          k >= modeRestAt &&
          nextMode !== undefined &&
          nextMode.trigger <= this.t
        ) {
          if (nextMode.tryStart(this)) {
            activeMode = nextMode;
            mi++;
          } else if (this.t > nextMode.trigger + START_PATIENCE_S && !(nextMode instanceof Activation)) mi++;
        }
        const nextMotion = motionQueue[ni];
        if (
          activeMotion === null &&
          k >= motionRestAt &&
          (activeMode === null || activeMode.passive) &&
          nextMotion !== undefined &&
          nextMotion.trigger <= this.t
        ) {
          if (nextMotion.tryStart(this)) {
            activeMotion = nextMotion;
            ni++;
          } else if (this.t > nextMotion.trigger + START_PATIENCE_S) ni++;
        }
      }
      if (arrived) {
        this.driver.a = 0;
      } else if (k > 0) {
        const { stopped } = this.driver.step(k, this.t, this.limitNow);
        if (stopped?.reason === 'end' && !arrived && this.endK === null) {
          arrived = true;
          activeMode = null;
          activeMotion = null;
          this.driver.speedOverride = null;
          if (this.mode === 'autonomous') {
            this.emit('ads_deactivated', { initiator: spec.driverless ? 'system' : 'driver', cause: 'end_of_route' });
            if (!spec.driverless) this.mode = 'manual';
          }
          this.endK = this.driver.holdUntil;
        }
      }
      this.path.at(this.driver.s, sample);
      this.limitNow = sample.limit;
      trace.ensure(k);
      const v = this.driver.v;
      trace.s[k] = this.driver.s;
      trace.v[k] = v;
      trace.a[k] = this.driver.a;
      // The schema's lateral acceleration is positive to the right; the path's curvature is positive to the left.
      trace.aLat[k] = -v * v * sample.kappa;
      trace.lat[k] = proj.lat(sample.y);
      trace.lon[k] = proj.lon(sample.x);
      trace.heading[k] = bearingDeg(sample.hx, sample.hy);
      trace.limit[k] = sample.limit;
      trace.mode[k] = MODE_CODE[this.mode];
      trace.keep[k] = 1;
      trace.n = k + 1;
      if ((this.endK !== null && k >= this.endK) || k >= maxK) break;
    }
  }

  finish(): SimulatedDrive {
    const { trace, hz } = this;
    const n = trace.n;
    for (const c of this.path.constraints) {
      if (c.reason !== 'sharp_turn') continue;
      let k0 = -1;
      let k1 = -1;
      for (let k = 0; k < n; k++) {
        const s = trace.s[k] ?? 0;
        if (s >= c.s && s <= c.sEnd) {
          if (k0 < 0) k0 = k;
          k1 = k;
        }
      }
      if (k0 < 0) continue;
      this.k = k0;
      this.emit('harsh_lateral', {
        logged: false,
        cause: 'corner_taken_fast',
        window: { k0, k1: Math.max(k0, k1 - 2 * hz), tier: null },
      });
    }
    const sorted = this.events.filter((e) => measureEpisode(e, trace, hz)).sort((p, q) => p.k - q.k);
    const protect = new Uint8Array(n);
    const guard = Math.round(PROTECT_S * hz);
    const mark = (a: number, b: number): void => {
      for (let k = Math.max(0, a - guard); k <= Math.min(n - 1, b + guard); k++) protect[k] = 1;
    };
    for (const e of sorted) if (e.kind !== 'recorder_fault') mark(e.k, e.kEnd ?? e.k);
    for (let k = 1; k < n; k++) if (trace.mode[k] !== trace.mode[k - 1]) mark(k, k);
    mark(0, 0);
    mark(n - 1, n - 1);
    const final: SimEvent[] = [];
    for (const e of sorted) {
      if (e.kind === 'recorder_fault') {
        const end = Math.min(n, e.kEnd ?? e.k);
        let clash = end <= e.k + 1;
        for (let k = e.k; k < end && !clash; k++) clash = protect[k] === 1;
        if (clash) continue;
        e.kEnd = end;
        for (let k = e.k; k < end; k++) trace.keep[k] = 0;
        mark(e.k, end);
      }
      final.push(e);
    }
    for (const e of final) if (e.related !== null && !final.includes(e.related)) e.related = null;

    const noise = this.spec.rng.fork('gnss');
    const gps = new GpsError(this.spec.gpsNoise, hz, noise);
    const proj = this.spec.graph.projection;
    const lat0 = proj.lat0;
    for (let k = 0; k < n; k++) {
      gps.next();
      const lat = trace.lat[k] ?? lat0;
      trace.gpsLat[k] = lat + proj.lat(gps.ey) - lat0;
      trace.gpsLon[k] = (trace.lon[k] ?? 0) + proj.lon(gps.ex) - proj.lon0;
      trace.aLog[k] = (trace.a[k] ?? 0) + accelNoise(noise);
      trace.aLatLog[k] = (trace.aLat[k] ?? 0) + accelNoise(noise);
    }
    const dropouts = noise.poisson(n / (DROPOUT_EVERY_S * hz));
    for (let i = 0; i < dropouts; i++) {
      const len = noise.int(DROPOUT_SAMPLES[0], DROPOUT_SAMPLES[1]);
      const k0 = noise.int(1, Math.max(1, n - len - 2));
      let free = true;
      for (let k = k0 - 1; k <= k0 + len && free; k++) free = protect[k] === 0 && trace.keep[k] === 1;
      if (!free) continue;
      for (let k = k0; k < k0 + len; k++) trace.keep[k] = 0;
    }
    return { trace, events: final, dropped: n - trace.rowsKept() };
  }
}
