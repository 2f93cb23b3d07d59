import { statePaths } from './paths.js';
import { StateDb } from './state-db.js';

const SHARED = new Map<string, { db: Promise<StateDb>; refs: number }>();

/**
 * The process's one StateDb of a data directory, shared by every app over it (two apps in one process — tests,
 * a server and its admin routes — would otherwise each try to own the file). `release` closes it after the last user.
 */
export function acquireState(dataDir: string): { db: Promise<StateDb>; release: () => Promise<void> } {
  const { file } = statePaths(dataDir);
  let entry = SHARED.get(file);
  if (!entry) {
    const db = StateDb.open(dataDir);
    entry = { db, refs: 0 };
    SHARED.set(file, entry);
    db.catch(() => SHARED.delete(file));
  }
  entry.refs++;
  const held = entry;
  let released = false;
  return {
    db: held.db,
    release: async () => {
      if (released) return;
      released = true;
      if (--held.refs > 0) return;
      if (SHARED.get(file) === held) SHARED.delete(file);
      await (await held.db.catch(() => null))?.close();
    },
  };
}
