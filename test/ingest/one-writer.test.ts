import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { LakeBusyError, LakeLock, processStart } from '../../services/ingest/lake/lake-lock.js';
import { lakePaths } from '../../services/ingest/lake/paths.js';
import { Catalog } from '../../services/ingest/lake/catalog.js';
import { lakeTable, query, tempDir, writeFixture } from '../helpers/lake.js';
import { driveCsv } from '../helpers/drive-csv.js';

let dir: string;
let cleanup: () => void;
let app: FastifyInstance;
const data = () => path.join(dir, 'served');
beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  app = await buildApp({ dataDir: data() });
});
afterAll(async () => {
  await app?.close();
  cleanup?.();
});

const { rows, csv } = driveCsv(Date.UTC(2026, 3, 1, 1, 0, 0));

describe('one writer per lake', () => {
  it('four concurrent uploads of one file: one stores it, the others answer already_ingested', async () => {
    const body = csv(rows(0, 3000, 'C1'));
    const answers = await Promise.all(
      [0, 1, 2, 3].map((i) => app.inject({ method: 'POST', url: `/api/ingest?name=copy-${i}.csv`, payload: body })),
    );
    const statuses = answers.map((r) => r.json<{ files: { status: string }[] }>().files[0]?.status).sort();
    expect(statuses).toEqual(['already_ingested', 'already_ingested', 'already_ingested', 'ingested']);
    const [t] = await query(`SELECT count(*) AS n FROM ${lakeTable(data(), 'telemetry')}`);
    expect(t?.n).toBe('3000');
    const entries = new Catalog(lakePaths(data())).list();
    expect(entries.map((e) => [e.status, e.rows_stored])).toEqual([['ingested', 3000]]);
    for (const f of entries[0]?.files ?? []) expect(fs.existsSync(path.join(data(), 'lake', f)), f).toBe(true);
  });

  it('two concurrent writers of split files that overlap by 60 s store each sample once, as one drive', async () => {
    const d = path.join(dir, 'split');
    const a = writeFixture(dir, 'split-in/a.csv', csv(rows(0, 600, 'S1')));
    const b = writeFixture(dir, 'split-in/b.csv', csv(rows(540, 1200, 'S1')));
    const [ra, rb] = await Promise.all([ingestPaths([a], { dataDir: d }), ingestPaths([b], { dataDir: d })]);
    expect((ra?.rows_stored ?? 0) + (rb?.rows_stored ?? 0)).toBe(1200);
    expect(
      (ra?.files[0]?.quarantine_by_reason.duplicate_sample ?? 0) +
        (rb?.files[0]?.quarantine_by_reason.duplicate_sample ?? 0),
    ).toBe(60);
    const [t] = await query(
      `SELECT count(*) AS n, count(DISTINCT ts) AS distinct_ts, count(DISTINCT drive_id) AS drives FROM ${lakeTable(d, 'telemetry')}`,
    );
    expect(t).toEqual({ n: '1200', distinct_ts: '1200', drives: '1' });
  });

  it('a writer waits for the holder, saying whom it waits for, and gives up after its bound with a clear error', async () => {
    const d = path.join(dir, 'held');
    const paths = lakePaths(d);
    const held = await LakeLock.acquire(paths, 'a test holding the lake');
    const said: string[] = [];
    const waiting = LakeLock.acquire(paths, 'second', { waitMs: 300, onWait: (m) => said.push(m) });
    await expect(waiting).rejects.toBeInstanceOf(LakeBusyError);
    await expect(waiting).rejects.toThrow(/locked by a test holding the lake \(pid \d+/u);
    expect(said[0]).toMatch(/^waiting for a test holding the lake/u);
    held.release();
    const next = await LakeLock.acquire(paths, 'second', { waitMs: 300 });
    next.release();
  });

  it('takes over a stale lock: a dead pid, or a live pid with another start time', async () => {
    const d = path.join(dir, 'stale');
    const paths = lakePaths(d);
    fs.mkdirSync(paths.root, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const lockFile = path.join(paths.root, 'lake.lock');
    const holder = { token: 'old', host: (await import('node:os')).hostname(), purpose: 'a crashed ingest', since: '' };
    fs.writeFileSync(lockFile, JSON.stringify({ ...holder, pid: Number(dead), started: 1 }));
    const s = await ingestPaths([writeFixture(dir, 'stale-in/a.csv', csv(rows(0, 10, 'L1')))], {
      dataDir: d,
      onWait: () => {
        throw new Error('must not wait for a dead holder');
      },
    });
    expect(s.rows_stored).toBe(10);
    // This very pid, but "started" at another time: a recycled pid.
    fs.writeFileSync(
      lockFile,
      JSON.stringify({ ...holder, pid: process.pid, started: (processStart(process.pid) ?? 0) + 1 }),
    );
    const lock = await LakeLock.acquire(paths, 'after a recycled pid', { waitMs: 200 });
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ token: lock.token });
    lock.release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });
});
