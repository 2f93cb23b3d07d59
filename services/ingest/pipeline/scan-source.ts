import type { ScanBlock } from './scan-columns.js';

export interface ScanRun {
  readonly block: ScanBlock;
  readonly start: number;
  readonly count: number;
}

/** Codes the current DuckDB scan can resolve; a row needing a newer code ends the scan so a new one can start. */
export interface DictionaryLimits {
  companies: number;
  vehicles: number;
  ads: number;
}

/** What the lake writer pulls telemetry rows from, in-thread or from a worker. */
export interface ScanSource {
  readonly companies: { readonly values: readonly string[]; readonly size: number };
  readonly vehicles: { readonly values: readonly string[]; readonly size: number };
  readonly ads: { readonly values: readonly string[]; readonly size: number };
  /** Reads ahead to the first stored rows so the dictionaries hold their first values before a scan starts. */
  prime(): void;
  readonly done: boolean;
  /**
   * The next run of up to `max` stored rows, as a window on a block (valid until the next call), or null when the
   * scan must end: the source is done, or the next row needs a code beyond `limits`.
   */
  nextRun(max: number, limits: DictionaryLimits): ScanRun | null;
}
