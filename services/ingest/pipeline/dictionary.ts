/** Strings → small integer codes, 1-based so that 0 can stand for null in the chunk columns handed to DuckDB. */
export class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  constructor(initial: readonly string[] = []) {
    for (const v of initial) this.code(v);
  }

  code(value: string): number {
    let c = this.codes.get(value);
    if (c === undefined) {
      this.values.push(value);
      c = this.values.length;
      this.codes.set(value, c);
    }
    return c;
  }

  get size(): number {
    return this.values.length;
  }
}
