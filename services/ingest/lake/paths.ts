import path from 'node:path';

/** The lake's datasets: the four tables and the telemetry rollup (`rollup.ts`). */
export type LakeTableName = 'telemetry' | 'events' | 'mileage' | 'quarantine' | 'rollup';

/** The data directory's layout. Everything a reader may see lives under `lake/`; `staging/` is private to writers. */
export function lakePaths(dataDir: string) {
  const root = path.resolve(dataDir);
  return {
    root,
    lake: path.join(root, 'lake'),
    table: (name: LakeTableName) => path.join(root, 'lake', name),
    catalog: path.join(root, 'catalog', 'sources'),
    /** The sample index: per source, the exact timestamps it stores (`sample-index.ts`). */
    samples: path.join(root, 'catalog', 'samples'),
    staging: path.join(root, 'staging'),
    /** Derived data readers may rebuild at any time (the API's saved in-memory copies). */
    cache: path.join(root, 'cache'),
  };
}

export type LakePaths = ReturnType<typeof lakePaths>;
