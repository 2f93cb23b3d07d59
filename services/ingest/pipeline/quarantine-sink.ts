import fs from 'node:fs';
import type { QuarantineReason } from '../schema/vocab.js';

/** Where a rejected record came from. */
export interface RejectedAt {
  readonly line: number | null;
  readonly byteOffset: number | null;
  readonly raw: string;
}

/**
 * Appends rejected records to a JSON-lines staging file (bounded memory however many rows are bad); the commit
 * step turns it into quarantine Parquet. Counts by reason for the summary.
 */
export class QuarantineSink {
  readonly byReason = new Map<QuarantineReason, number>();
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private readonly sourceId: string;
  private readonly file: string;
  private readonly ingestedAt: string;
  count = 0;
  private closed = false;

  constructor(path: string, sourceId: string, file: string, ingestedAt: Date) {
    this.fd = fs.openSync(path, 'w');
    this.sourceId = sourceId;
    this.file = file;
    this.ingestedAt = ingestedAt.toISOString();
  }

  reject(at: RejectedAt, reason: QuarantineReason, detail: string): void {
    this.count++;
    this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
    const line = JSON.stringify({
      source_id: this.sourceId,
      source_file: this.file,
      line: at.line,
      byte_offset: at.byteOffset,
      reason,
      detail,
      raw: at.raw.length > 4096 ? `${at.raw.slice(0, 4096)}…` : at.raw,
      ingested_at: this.ingestedAt,
    });
    this.buffer.push(line);
    this.bufferedChars += line.length;
    if (this.bufferedChars > 1 << 20) this.flush();
  }

  flush(): void {
    if (!this.buffer.length) return;
    fs.writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
    this.bufferedChars = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    fs.closeSync(this.fd);
    this.closed = true;
  }
}
