type Listener<T> = (state: T, previous: T) => void;

/** A value with change listeners: the app's single source of truth. */
export class Store<T extends object> {
  private state: T;
  private readonly listeners = new Set<Listener<T>>();

  constructor(initial: T) {
    this.state = initial;
  }

  get(): T {
    return this.state;
  }

  set(patch: Partial<T>): void {
    const previous = this.state;
    this.state = { ...previous, ...patch };
    for (const l of this.listeners) l(this.state, previous);
  }

  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
