import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { AVLOG_BIN } from '../helpers/cli.js';
import { tempDir, writeFixture } from '../helpers/lake.js';
import { descendants } from '../helpers/process-tree.js';

const SPIN =
  'select sum(len(list_transform(range(3000), x -> list_transform(range(3000), y -> len(list_transform(range(3000), z -> x + y + z))))))';

let dataDir: string;
let cleanup: () => void;
beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  dataDir = path.join(dir, 'data');
  const rows = ['ts,company_id,vehicle_id,lat,lon', '2026-09-01T00:00:00Z,acme,A1,22.54,114.05'];
  await ingestPaths([writeFixture(dir, 'a.csv', `${rows.join('\n')}\n`)], { dataDir });
});
afterAll(() => cleanup?.());

/** `avlog serve` on a free port; resolves with the child and its URL once it listens. */
function startServer(): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [AVLOG_BIN, 'serve', '--data', dataDir, '--port', '0', '--shutdown-grace', '3'],
      { env: { ...process.env, AVLOG_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /serving (http:\/\/\S+)/u.exec(out)?.[1];
      if (url) resolve({ child, url, exited });
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening: ${out}`)));
  });
}

const cmdline = (pid: number): string => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/** A process's state letter (R, S, Z, …) or 'gone'. */
const state = (pid: number): string => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return 'gone';
  }
};

const sql = (url: string, body: object): Promise<Response> =>
  fetch(`${url}/api/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('graceful shutdown', () => {
  it('on SIGTERM stops accepting, kills a runaway SQL worker and exits 0 within the grace', async () => {
    const { child, url, exited } = await startServer();
    expect((await sql(url, { sql: 'SELECT 1 AS one' })).status).toBe(200);
    const pid = child.pid ?? -1;
    const workers = descendants(pid).filter((w) => cmdline(w).includes('worker-boot.mjs'));
    expect(workers.length).toBeGreaterThan(0);
    const inFlight = sql(url, { sql: SPIN, timeout_ms: 300_000 }).then(
      (r) => r.status,
      () => 'connection closed',
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect([500, 'connection closed']).toContain(await inFlight);
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    // No worker outlives the server.
    for (const w of workers) expect(['gone', 'Z']).toContain(state(w));
  }, 120_000);

  it('exits at once on a second SIGTERM', async () => {
    const { child, url, exited } = await startServer();
    const stopping = new Promise<void>((resolve) =>
      child.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('stopping')) resolve();
      }),
    );
    // A query in flight keeps the first shutdown waiting; the second signal does not wait for it.
    void sql(url, { sql: SPIN, timeout_ms: 300_000 }).catch(() => undefined);
    child.kill('SIGTERM');
    await stopping;
    child.kill('SIGTERM');
    expect(await exited).toBe(1);
  }, 120_000);
});
