import path from 'node:path';

/** Where the state database lives under a data directory: `<data>/state/avlog.duckdb`. */
export interface StatePaths {
  readonly dir: string;
  readonly file: string;
}

export function statePaths(dataDir: string): StatePaths {
  const dir = path.resolve(dataDir, 'state');
  return { dir, file: path.join(dir, 'avlog.duckdb') };
}
