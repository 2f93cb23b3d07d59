import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from './catalog.js';
import { LakeWriter, TEMP_DIR_NAME } from './lake-writer.js';
import { LakeLock } from './lake-lock.js';
import { lakePaths, type LakePaths } from './paths.js';
import { Staging } from './staging.js';

export interface BackfillSummary {
  /** Sources given a rollup now. */
  sources: number;
  files: number;
}

const isRollup = (f: string) => f.startsWith(`rollup${path.sep}`) || f.startsWith('rollup/');
const isTelemetry = (f: string) => f.startsWith(`telemetry${path.sep}`) || f.startsWith('telemetry/');

/**
 * Writes the telemetry rollup (`rollup.ts`) of every ingested source whose telemetry has none (a lake from before
 * rollups), or of every source with `rebuild` (after `ROLLUP_PARAMS` changed). Each source is one journalled
 * commit through its staging workspace, like an ingest: the rollup files and the catalog entry listing them
 * appear together, a crash is finished by the next run's recovery, and running it twice changes nothing.
 */
export async function backfillRollups(
  dataDir: string,
  o: { rebuild?: boolean; onWait?: (message: string) => void } = {},
): Promise<BackfillSummary> {
  const paths = lakePaths(dataDir);
  const lock = await LakeLock.acquire(paths, 'avlog rollup', o.onWait ? { onWait: o.onWait } : {});
  try {
    return await backfillLocked(paths, lock.token, o.rebuild === true);
  } finally {
    lock.release();
  }
}

async function backfillLocked(paths: LakePaths, token: string, rebuild: boolean): Promise<BackfillSummary> {
  Staging.recover(paths);
  const catalog = new Catalog(paths);
  const todo = catalog
    .list()
    .filter((e) => e.status === 'ingested' && e.files.some(isTelemetry) && (rebuild || !e.files.some(isRollup)));
  const out: BackfillSummary = { sources: 0, files: 0 };
  if (!todo.length) return out;
  const tmp = path.join(paths.root, TEMP_DIR_NAME);
  fs.mkdirSync(tmp, { recursive: true });
  const writer = await LakeWriter.open(tmp);
  try {
    for (const entry of todo) {
      const staging = Staging.claim(paths, entry.source_id, token);
      try {
        const old = entry.files.filter(isRollup);
        await writer.writeRollup(
          staging,
          entry.source_id,
          entry.files.filter(isTelemetry).map((f) => path.join(paths.lake, f)),
        );
        const staged = staging.stagedFiles();
        // A rebuild replaces the old files: same names are overwritten by the commit's renames, others removed by the
        // commit (journalled, so a crash cannot leave an old file beside its replacement, counted twice).
        staging.commit(
          { ...entry, files: [...entry.files.filter((f) => !isRollup(f)), ...staged].sort() },
          old.filter((f) => !staged.includes(f)),
        );
        out.sources++;
        out.files += staged.length;
      } catch (e) {
        staging.discard();
        throw new Error(`rollup backfill of source ${entry.source_id} (${entry.file}): ${(e as Error).message}`);
      }
    }
  } finally {
    writer.close();
  }
  return out;
}
