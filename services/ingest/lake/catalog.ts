import fs from 'node:fs';
import path from 'node:path';
import type { TrackState } from '../pipeline/vehicle-track.js';
import type { SourceFormat, SourceKind, SourceStatus } from '../schema/vocab.js';
import { writeFileAtomic } from './atomic-write.js';
import type { Coverage } from './sample-index.js';
import type { LakePaths } from './paths.js';

/** A catalog entry as stored (JSON, one file per source content). Mirrors the SOURCES table declaration. */
export interface CatalogEntry {
  source_id: string;
  sha256: string;
  file: string;
  bytes: number;
  format: SourceFormat;
  kind: SourceKind;
  encoding: string | null;
  crs: string;
  status: SourceStatus;
  error: string | null;
  rows_in: number;
  rows_stored: number;
  rows_quarantined: number;
  quarantine_by_reason: Record<string, number>;
  /** Events detected in this source's telemetry. */
  events_detected: number;
  ts_min: string | null;
  ts_max: string | null;
  ingested_at: string;
  /** Lake files this source added, relative to `lake/`. */
  files: string[];
  /** Where each vehicle's track ended (telemetry): lets the next file of a split drive continue it. */
  tracks?: Record<string, TrackState>;
  /** Per vehicle, the time intervals this source stores samples in; its exact timestamps are in `catalog/samples/`. */
  coverage?: Coverage;
}

/**
 * The catalog of ingested sources: `catalog/sources/<sha256>.json`, written atomically. Files rather than a
 * database so that many readers (DuckDB's read_json, the API) and a writer never contend for a lock.
 */
export class Catalog {
  private readonly dir: string;

  constructor(paths: LakePaths) {
    this.dir = paths.catalog;
  }

  get(sha256: string): CatalogEntry | null {
    try {
      return JSON.parse(fs.readFileSync(this.file(sha256), 'utf8')) as CatalogEntry;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  put(entry: CatalogEntry): void {
    writeFileAtomic(this.file(entry.sha256), `${JSON.stringify(entry, null, 1)}\n`);
  }

  list(): CatalogEntry[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(this.dir, f), 'utf8')) as CatalogEntry);
  }

  private file(sha256: string): string {
    if (!/^[0-9a-f]{64}$/u.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return path.join(this.dir, `${sha256}.json`);
  }
}
