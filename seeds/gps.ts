import type { Rng } from './prng.js';

/** Correlation times of the receiver error, s: a slow wander driven by a smoother velocity noise. */
const TAU_POSITION_S = 30;
const TAU_VELOCITY_S = 3;

/**
 * GNSS position error: Gaussian with standard deviation `sigma` m per axis, but correlated in time as a real
 * receiver's is (second-order Gauss–Markov), so that the logged track does not jitter by metres from one 10 Hz
 * sample to the next and distance summed along it stays close to the true distance.
 */
export class GpsError {
  ex: number;
  ey: number;
  private ux: number;
  private uy: number;
  private readonly phiE: number;
  private readonly phiU: number;
  private readonly gainU: number;
  private readonly gainE: number;
  private readonly rng: Rng;

  constructor(sigma: number, hz: number, rng: Rng) {
    this.rng = rng;
    const dt = 1 / hz;
    this.phiE = Math.exp(-dt / TAU_POSITION_S);
    this.phiU = Math.exp(-dt / TAU_VELOCITY_S);
    this.gainU = Math.sqrt(1 - this.phiU * this.phiU);
    const pp = this.phiE * this.phiU;
    const unitVariance = (1 + pp) / ((1 - this.phiE * this.phiE) * (1 - pp));
    this.gainE = sigma / Math.sqrt(unitVariance);
    this.ux = rng.normal();
    this.uy = rng.normal();
    this.ex = sigma * rng.normal();
    this.ey = sigma * rng.normal();
  }

  next(): void {
    this.ux = this.phiU * this.ux + this.gainU * this.rng.normal();
    this.uy = this.phiU * this.uy + this.gainU * this.rng.normal();
    this.ex = this.phiE * this.ex + this.gainE * this.ux;
    this.ey = this.phiE * this.ey + this.gainE * this.uy;
  }
}

/** Sensor noise on a logged acceleration: Gaussian, σ 0.02 m/s², clipped to ±0.05. */
export function accelNoise(rng: Rng): number {
  const n = 0.02 * rng.normal();
  return n > 0.05 ? 0.05 : n < -0.05 ? -0.05 : n;
}
