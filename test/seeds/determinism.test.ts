import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFleet, seedOptions, type SeedOptions } from '../../seeds/index.js';
import { listFiles, removeDir, tempDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function digest(
  options: Partial<SeedOptions>,
): Promise<{ files: string[]; hashes: Map<string, string>; returned: string[] }> {
  const out = tempDir('det');
  dirs.push(out);
  const result = await generateFleet(
    seedOptions({ companies: 3, vehicles: 4, days: 2, drivesPerDay: 1.5, eventScale: 3, ...options, out }),
  );
  const files = listFiles(out);
  const hashes = new Map(
    files.map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(path.join(out, f)))
        .digest('hex'),
    ]),
  );
  return { files, hashes, returned: [...result.files].sort() };
}

describe('generateFleet determinism', () => {
  it('writes byte-identical files for identical options, whatever the output directory', async () => {
    const a = await digest({});
    const b = await digest({});
    expect(a.files.length).toBeGreaterThan(4);
    expect(b.files).toEqual(a.files);
    for (const f of a.files) expect(b.hashes.get(f), f).toBe(a.hashes.get(f));
    expect(a.returned).toEqual(a.files);
    expect(a.files.some((f) => f.endsWith('.events.csv'))).toBe(true);
  });

  it('writes different logs for a different seed', async () => {
    const a = await digest({});
    const c = await digest({ seed: 43 });
    const manifestA = a.hashes.get('manifest.json');
    expect(c.hashes.get('manifest.json')).not.toBe(manifestA);
    const shared = a.files.filter((f) => c.hashes.has(f) && f !== 'fleet.json');
    for (const f of shared) expect(c.hashes.get(f), f).not.toBe(a.hashes.get(f));
  });
});
