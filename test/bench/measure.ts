import { spawn } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';

/** Runs SQL on a fresh DuckDB instance (default threads: all cores) and returns the wall time, s. */
export async function timeDuckdb(sql: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const t = performance.now();
    await connection.run(sql);
    return (performance.now() - t) / 1000;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Runs a command, returning wall time, stdout and the child's peak RSS (from GNU time when present, else ps). */
export function timeCommand(
  cmd: string,
  args: string[],
): Promise<{ seconds: number; stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ seconds: (performance.now() - t) / 1000, stdout, stderr, code }));
  });
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function printTable(title: string, rows: [string, string][]): void {
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n## ${title}\n`);
  for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(w)}  ${v}\n`);
}
