/** Thrown by `Gate.run` when the gate is full: the caller answers 429 with `retry-after: retryAfterS`. */
export class GateFull extends Error {
  override readonly name = 'GateFull';
  readonly retryAfterS: number;

  constructor(message: string, retryAfterS: number) {
    super(message);
    this.retryAfterS = retryAfterS;
  }
}

/**
 * A cap on work running at once (uploads, PDF renders): up to `running` at a time, up to `waiting` more in line,
 * anything beyond refused at once with GateFull, so a crowd of callers queues briefly or is told to come back.
 */
export class Gate {
  private active = 0;
  private readonly line: (() => void)[] = [];

  constructor(
    private readonly what: string,
    private readonly running: number,
    private readonly waiting: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.running) {
      if (this.line.length >= this.waiting) {
        throw new GateFull(
          `${this.running} ${this.what} are running and ${this.line.length} waiting; try again shortly`,
          Math.max(1, Math.ceil((this.line.length + 1) / this.running)),
        );
      }
      await new Promise<void>((resolve) => this.line.push(resolve));
    } else this.active++;
    try {
      return await work();
    } finally {
      const next = this.line.shift();
      if (next) next();
      else this.active--;
    }
  }
}
