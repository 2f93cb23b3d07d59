import type { QuarantineSink } from '../pipeline/quarantine-sink.js';
import type { QuarantineReason } from '../schema/vocab.js';
import type { RegulatorRecord } from './records.js';

/** What a regulator reader needs besides its records. */
export interface ReadContext {
  /** File name as given (the DMV's names carry the reporting year and report). */
  readonly name: string;
  readonly sourceId: string;
  readonly quarantine: QuarantineSink;
  readonly progress: (bytesRead: number, rowsIn: number) => void;
}

/** Per-source totals: every record read is stored or quarantined. */
export class ReadStats {
  rowsIn = 0;
  rowsStored = 0;
  tsMinUs = Infinity;
  tsMaxUs = -Infinity;

  span(us: number): void {
    if (us < this.tsMinUs) this.tsMinUs = us;
    if (us > this.tsMaxUs) this.tsMaxUs = us;
  }
}

/** Quarantines a record with its line, byte offset and text. */
export function reject(ctx: ReadContext, rec: RegulatorRecord, reason: QuarantineReason, detail: string): void {
  ctx.quarantine.reject({ line: rec.line, byteOffset: rec.byteOffset, raw: rec.raw }, reason, detail);
}
