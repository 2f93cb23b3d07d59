import { SqlRejected } from './errors.js';

/** A counting semaphore for running queries: `acquire` waits up to a deadline for a free slot. */
export class QuerySlots {
  private readonly size: number;
  private used = 0;
  private readonly waiting: { grant: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(size: number) {
    this.size = size;
  }

  /** Resolves with a release function once a slot is free; rejects with `busy` after `waitMs`. */
  acquire(waitMs: number): Promise<() => void> {
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          clearTimeout(entry.timer);
          this.used++;
          resolve(this.releaser());
        },
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new SqlRejected('busy', `the SQL sandbox is running ${this.size} queries; try again shortly`));
        }, waitMs),
      };
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used--;
      this.waiting.shift()?.grant();
    };
  }
}
