import net from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../services/cli/main.js';
import { closest, editDistance } from '../../services/core/closest.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/lake.js';

const { dir, cleanup } = tempDir('avlog-main-');
afterAll(cleanup);

describe('did you mean', () => {
  it('finds the nearest command or flag within a few edits, and nothing for a word far from all', () => {
    expect(editDistance('sqll', 'sql')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('sqll', ['ingest', 'sql', 'serve'])).toBe('sql');
    expect(closest('formt', ['format', 'data'])).toBe('format');
    expect(closest('rep', ['report', 'rollup'])).toBe('report');
    expect(closest('xyzzy', ['sql', 'serve'])).toBeNull();
  });
});

/** Runs `main` in this process (no child start-up), capturing what it writes. */
async function inProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('avlog as a terminal user meets it', () => {
  it('--version prints the version', async () => {
    const r = await inProcess(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^avlog \d+\.\d+\.\d+\n$/u);
  });

  it('an unknown command suggests the nearest one in one line, exit 2', async () => {
    const r = await inProcess(['sqll']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "sqll" — did you mean "sql"?');
    expect(r.stdout).toBe('');
  });

  it('an unknown flag names the flag and the nearest known one, not Node’s message', async () => {
    const r = await inProcess(['sql', '--formt', 'csv', 'SELECT 1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'avlog sql: unknown option --formt — did you mean --format? (--help lists the options)',
    );
  });

  it('serve on a busy port: one clear line and the fix, no stack, non-zero exit', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const r = await runCli(['serve', '--data', dir, '--host', '127.0.0.1', '--port', String(port)], {
        AVLOG_DEBUG: '',
      });
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0]).toBe(`avlog serve: port ${port} on 127.0.0.1 is already in use (another avlog serve?)`);
      expect(lines[1]).toContain('--port N');
      expect(lines.length).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /u);
    } finally {
      server.close();
    }
  });
});
