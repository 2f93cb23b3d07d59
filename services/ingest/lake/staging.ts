import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { Catalog, type CatalogEntry } from './catalog.js';
import type { LakePaths, LakeTableName } from './paths.js';
import { samplesFile } from './sample-index.js';

const COMMIT = 'COMMIT.json';
/** Lake files (relative paths) the commit replaces: written before COMMIT, removed by finishing it. */
const REMOVE = 'REMOVE.json';
/** Workspaces are named by source id; anything else in staging/ (DuckDB spill, uploads) is not ours to recover. */
const SOURCE_ID = /^[0-9a-f]{16}$/u;
const OWNER = 'owner.token';
/** DuckDB spill folders of writers (`.duckdb-tmp-…`): only the lake lock's holder has a live one. */
const TEMP = /^\.duckdb-tmp-/u;
const SAMPLES = 'samples.bin';

/**
 * A source's private workspace: `staging/<source_id>/<table>/…` mirrors the lake. Publishing is a journalled
 * commit: the COMMIT file (the list of files and the catalog entry) is written first, then each file is renamed
 * into the lake, then the files it replaces are removed (`remove`), then the catalog entry; a crash at any point is
 * finished by `recover()` on the next run, and file names are deterministic, so finishing twice cannot duplicate rows.
 */
export class Staging {
  readonly dir: string;
  private readonly paths: LakePaths;

  private constructor(paths: LakePaths, dir: string) {
    this.paths = paths;
    this.dir = dir;
  }

  /**
   * Claims the workspace for a source. Only the holder of the lake lock (`lake-lock.ts`, its token) may call it, so
   * a workspace found there is a crash's leftover: its journalled commit is finished, the rest discarded.
   */
  static claim(paths: LakePaths, sourceId: string, token: string): Staging {
    const dir = path.join(paths.staging, sourceId);
    fs.mkdirSync(paths.staging, { recursive: true });
    if (fs.existsSync(dir)) {
      if (fs.existsSync(path.join(dir, COMMIT))) finishCommit(paths, dir);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, OWNER), token);
    return new Staging(paths, dir);
  }

  /** Where the pipeline writes the timestamps this source stores; the commit moves it into the sample index. */
  get samplesPath(): string {
    return path.join(this.dir, SAMPLES);
  }

  tableDir(table: LakeTableName): string {
    return path.join(this.dir, table);
  }

  /** Staged Parquet files, relative to the staging dir (e.g. `telemetry/date=…/company=…/part-….parquet`). */
  stagedFiles(): string[] {
    const out: string[] = [];
    for (const table of ['telemetry', 'events', 'mileage', 'quarantine', 'rollup'] as const) {
      const root = this.tableDir(table);
      if (!fs.existsSync(root)) continue;
      for (const f of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
        if (f.endsWith('.parquet')) out.push(path.join(table, f));
      }
    }
    return out.sort();
  }

  /**
   * Publishes the staged files and the catalog entry, removing the lake files `remove` lists (relative to the lake,
   * e.g. the old rollup files a rebuild replaces under other names); see the class comment for crash safety.
   */
  commit(entry: CatalogEntry, remove: readonly string[] = []): void {
    this.journal(entry, remove);
    finishCommit(this.paths, this.dir);
    this.discard();
  }

  /** Writes the commit journal (`commit` without finishing it: what a crash right after leaves for `recover`). */
  journal(entry: CatalogEntry, remove: readonly string[] = []): void {
    for (const rel of remove) lakeFile(this.paths, rel);
    const drop = remove.filter((f) => !entry.files.includes(f));
    if (drop.length) writeFileAtomic(path.join(this.dir, REMOVE), JSON.stringify(drop));
    else fs.rmSync(path.join(this.dir, REMOVE), { force: true });
    writeFileAtomic(path.join(this.dir, COMMIT), JSON.stringify(entry));
  }

  discard(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Finishes commits a crash interrupted and removes abandoned workspaces and DuckDB spill folders. Only for the
   * holder of the lake lock, before it creates its own: every workspace it finds is a leftover. Returns how many
   * commits it finished and leftovers it removed.
   */
  static recover(paths: LakePaths): { finished: number; removed: number } {
    const out = { finished: 0, removed: 0 };
    if (!fs.existsSync(paths.staging)) return out;
    for (const id of fs.readdirSync(paths.staging)) {
      const dir = path.join(paths.staging, id);
      if (TEMP.test(id)) {
        fs.rmSync(dir, { recursive: true, force: true });
        out.removed++;
        continue;
      }
      if (!SOURCE_ID.test(id)) continue;
      if (fs.existsSync(path.join(dir, COMMIT))) {
        finishCommit(paths, dir);
        out.finished++;
      } else out.removed++;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return out;
  }
}

function finishCommit(paths: LakePaths, dir: string): void {
  const entry = JSON.parse(fs.readFileSync(path.join(dir, COMMIT), 'utf8')) as CatalogEntry;
  for (const rel of entry.files) {
    const from = path.join(dir, rel);
    const to = path.join(paths.lake, rel);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
  }
  const samples = path.join(dir, SAMPLES);
  if (fs.existsSync(samples)) {
    fs.mkdirSync(paths.samples, { recursive: true });
    fs.renameSync(samples, samplesFile(paths.samples, entry.source_id));
  }
  const removals = path.join(dir, REMOVE);
  if (fs.existsSync(removals)) {
    for (const rel of JSON.parse(fs.readFileSync(removals, 'utf8')) as string[])
      fs.rmSync(lakeFile(paths, rel), { force: true });
  }
  new Catalog(paths).put(entry);
}

/** A lake file's absolute path; a path leading out of the lake (a damaged journal) is refused. */
function lakeFile(paths: LakePaths, rel: string): string {
  const abs = path.resolve(paths.lake, rel);
  if (path.isAbsolute(rel) || !abs.startsWith(path.resolve(paths.lake) + path.sep))
    throw new Error(`commit journal: ${JSON.stringify(rel)} is not a file inside the lake ${paths.lake}`);
  return abs;
}
