import { describe, expect, it } from 'vitest';
import { benchSeed } from '../../seeds/bench.js';
import { listFiles, removeDir, tempDir } from './helpers.js';

describe('benchSeed', () => {
  it('generates about the requested number of CSV rows and reports the throughput', async () => {
    const dir = tempDir('bench');
    try {
      const r = await benchSeed(60_000, dir);
      expect(r.rows).toBeGreaterThanOrEqual(60_000);
      expect(r.rows).toBeLessThan(60_000 + 60_000);
      expect(r.rowsPerSecond).toBeCloseTo(r.rows / r.seconds, 0);
      const files = listFiles(dir);
      expect(files.filter((f) => f.endsWith('.csv') && !f.endsWith('.events.csv')).length).toBeGreaterThan(0);
      expect(files.some((f) => f.endsWith('.jsonl') || f.endsWith('.arrow'))).toBe(false);
    } finally {
      removeDir(dir);
    }
  });
});
