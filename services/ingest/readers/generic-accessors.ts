import { MISSING, toNumber, toText } from '../normalize/numbers.js';
import type { TimestampParser } from '../normalize/timestamp.js';

/** number/text/timestamp accessors in terms of `value`, for readers whose values are already typed. */
export abstract class ValueAccessors {
  abstract value(row: number, column: number): unknown;

  number(row: number, column: number): number | typeof MISSING {
    return toNumber(this.value(row, column));
  }

  text(row: number, column: number): string | null {
    return toText(this.value(row, column));
  }

  timestamp(row: number, column: number, parser: TimestampParser): number | typeof MISSING {
    const v = this.value(row, column);
    if (v === undefined || v === null || v === '') return MISSING;
    return parser.parse(v);
  }
}
