import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lakePaths } from '../../../services/ingest/lake/paths.js';
import { SqlRejected } from '../../../services/lake/sql/errors.js';
import { ViewFiles } from '../../../services/lake/sql/lake-views.js';
import { resolveLimits } from '../../../services/lake/sql/limits.js';
import { openLockedInstance, type LockedInstance } from '../../../services/lake/sql/locked-instance.js';
import { SqlSandbox } from '../../../services/lake/sql/sandbox.js';
import { tempDir } from '../../helpers/lake.js';
import { ESCAPE_CORPUS, fillPaths, type EscapeAttempt } from './escape-corpus.js';
import { EXPECTED, buildLake } from './lake-fixture.js';

let dir: string;
let cleanup: () => void;
let data: string;
let sandbox: SqlSandbox;
let folders: { lake: string; catalog: string; data: string };
let before: string[];

/** Every file under the data directory with its size and mtime: nothing may change while the corpus runs. */
function snapshot(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      const st = fs.statSync(file);
      return `${path.relative(root, file)} ${st.size} ${st.mtimeMs}`;
    })
    .sort();
}

const TMP_TARGETS = ['/tmp/avlog-escape.csv', '/tmp/avlog-escape.duckdb', '/tmp/avlog-escape-export'];

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  data = await buildLake(dir);
  const p = lakePaths(data);
  folders = { lake: p.lake, catalog: p.catalog, data: p.root };
  before = snapshot(data);
  for (const t of TMP_TARGETS) fs.rmSync(t, { recursive: true, force: true });
  sandbox = await SqlSandbox.open(data, { timeoutMs: 1500, memoryLimit: '256MB' });
});

afterAll(() => {
  sandbox?.close();
  cleanup();
});

async function outcome(attempt: EscapeAttempt): Promise<string> {
  try {
    const result = await sandbox.query(fillPaths(attempt.sql, folders), attempt.options);
    return `ran (${result.rowCount} rows)`;
  } catch (e) {
    if (e instanceof SqlRejected) {
      if (e.status < 400 || e.status > 499) return `status ${e.status}`;
      if (e.message.includes(folders.data) && !attempt.sql.includes('{')) return `leaked the data path: ${e.message}`;
      return e.code;
    }
    return `threw ${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('SQL escape corpus', () => {
  it('holds at least 50 attempts', () => {
    const total = Object.values(ESCAPE_CORPUS).reduce((n, list) => n + list.length, 0);
    expect(total).toBeGreaterThanOrEqual(50);
  });

  for (const [kind, attempts] of Object.entries(ESCAPE_CORPUS)) {
    it(`refuses every attempt: ${kind}`, async () => {
      const wrong: { sql: string; expected: string; got: string }[] = [];
      for (const attempt of attempts) {
        const got = await outcome(attempt);
        const allowed = typeof attempt.expect === 'string' ? [attempt.expect] : attempt.expect;
        if (!allowed.includes(got as never)) wrong.push({ sql: attempt.sql, expected: allowed.join('|'), got });
      }
      expect(wrong).toEqual([]);
    });
  }

  it('still answers an ordinary query afterwards, and nothing was written', async () => {
    const result = await sandbox.query('SELECT count(*) AS n FROM telemetry');
    expect(result.rowCount).toBe(1);
    const data0 = result.columns[0]?.data;
    expect(data0?.kind === 'fixed' ? Number(data0.values[0]) : null).toBe(
      EXPECTED.telemetry.acme + EXPECTED.telemetry.beta,
    );
    expect(snapshot(data)).toEqual(before);
    for (const t of TMP_TARGETS) expect(fs.existsSync(t), t).toBe(false);
  });
});

/**
 * The first wall on its own: the locked DuckDB instance, without the statement inspection, still refuses to touch
 * files outside the lake and to change its configuration.
 */
describe('the locked DuckDB instance by itself', () => {
  let locked: LockedInstance;
  let raw: DuckDBConnection;

  beforeAll(async () => {
    const paths = lakePaths(data);
    locked = await openLockedInstance(paths, resolveLimits({ memoryLimit: '256MB' }), new ViewFiles(paths).probe());
    raw = await locked.instance.connect();
  });

  afterAll(() => {
    raw?.closeSync();
    locked?.admin.closeSync();
    locked?.instance.closeSync();
  });

  async function engineError(sql: string): Promise<string | null> {
    try {
      await raw.run(fillPaths(sql, folders));
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }

  it('refuses file reads outside the lake (Permission Error) and allows the ones inside it', async () => {
    const attempts = [
      ...(ESCAPE_CORPUS['file reads (table functions and replacement scans)'] ?? []),
      ...(ESCAPE_CORPUS['path traversal'] ?? []),
    ];
    const wrong: string[] = [];
    for (const a of attempts) {
      const error = await engineError(a.sql);
      if (a.insideLake ? error !== null : !/Permission Error|does not exist/u.test(error ?? ''))
        wrong.push(`${a.sql} → ${error ?? 'ran'}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses writes, ATTACH and extension loading outside the lake', async () => {
    for (const sql of [
      "COPY (SELECT 1) TO '/tmp/avlog-escape.csv'",
      "ATTACH '/tmp/avlog-escape.duckdb' AS evil",
      "EXPORT DATABASE '/tmp/avlog-escape-export'",
      'INSTALL httpfs',
      "LOAD '/tmp/evil.duckdb_extension'",
    ]) {
      expect(await engineError(sql), sql).toMatch(/Permission Error|disabled|not allowed/iu);
    }
    for (const t of TMP_TARGETS) expect(fs.existsSync(t), t).toBe(false);
  });

  it('refuses to change its configuration', async () => {
    for (const sql of [
      'SET enable_external_access = true',
      'SET lock_configuration = false',
      "SET memory_limit = '100GB'",
      "SET allowed_directories = ['/']",
      'RESET allowed_directories',
    ]) {
      expect(await engineError(sql), sql).toMatch(/locked|cannot be changed|Cannot change/iu);
    }
    const reader = await raw.runAndReadAll(
      "SELECT current_setting('enable_external_access') AS e, current_setting('lock_configuration') AS l",
    );
    expect(reader.getRowObjectsJS()[0]).toEqual({ e: false, l: true });
  });

  it('still lets a connection change its search_path (why a scope relies on the SELECT-only check)', async () => {
    // DuckDB 1.5 keeps search_path (and USE) out of lock_configuration: a SET that reached the engine could point
    // unqualified names back at the unscoped views. The statement check refuses every SET; this test notices if
    // DuckDB ever starts locking it too.
    await expect(raw.run("SET search_path = 'memory.main'")).resolves.toBeDefined();
  });
});
