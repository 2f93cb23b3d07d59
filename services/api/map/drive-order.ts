/**
 * The row order that groups samples by drive, in time order within each drive, or null when they already are.
 *
 * Without an ORDER BY, DuckDB returns rows in the order of the lake's files, which for logs written drive by drive
 * is already grouped and timed: checking that is O(n), where sorting a million rows in DuckDB costs more than the
 * rest of the query. Drives need not come in any particular order, only contiguously.
 */
export function driveTimeOrder(drive: Uint32Array, t: Float32Array, drives: number): Uint32Array | null {
  const seen = new Uint8Array(drives);
  let ordered = true;
  for (let i = 0; i < drive.length && ordered; i++) {
    const d = drive[i] as number;
    if (i > 0 && d === drive[i - 1]) ordered = (t[i] as number) >= (t[i - 1] as number);
    else if (seen[d]) ordered = false;
    else seen[d] = 1;
  }
  if (ordered) return null;
  // counting sort by drive (stable), then time order within each drive
  const starts = new Uint32Array(drives + 1);
  for (let i = 0; i < drive.length; i++) (starts[(drive[i] as number) + 1] as number)++;
  for (let d = 0; d < drives; d++) starts[d + 1] = (starts[d + 1] as number) + (starts[d] as number);
  const next = starts.slice(0, drives);
  const order = new Uint32Array(drive.length);
  for (let i = 0; i < drive.length; i++) order[(next[drive[i] as number] as number)++] = i;
  for (let d = 0; d < drives; d++) {
    const run = order.subarray(starts[d], starts[d + 1]);
    let sorted = true;
    for (let k = 1; k < run.length && sorted; k++)
      sorted = (t[run[k] as number] as number) >= (t[run[k - 1] as number] as number);
    if (!sorted) run.set(Array.from(run).sort((a, b) => (t[a] as number) - (t[b] as number) || a - b));
  }
  return order;
}
