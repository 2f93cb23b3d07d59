import type { IngestSummary } from '../ingest/ingest.js';

/** A fixed-width table of the per-file results and totals, for people. */
export function formatSummary(s: IngestSummary): string {
  const header = ['file', 'status', 'format', 'kind', 'rows in', 'stored', 'quarantined', 'reasons'];
  const rows = s.files.map((f) => [
    f.file,
    f.status === 'already_ingested' ? 'already ingested' : f.status,
    f.format ?? '',
    f.kind ?? '',
    f.rows_in.toLocaleString('en-US'),
    f.rows_stored.toLocaleString('en-US'),
    f.rows_quarantined.toLocaleString('en-US'),
    Object.entries(f.quarantine_by_reason)
      .map(([r, n]) => `${r} ${n}`)
      .join(', '),
  ]);
  rows.push([
    `total (${s.files.length} files)`,
    s.failed || s.empty
      ? [s.failed ? `${s.failed} failed` : '', s.empty ? `${s.empty} empty` : ''].filter(Boolean).join(', ')
      : 'ok',
    '',
    '',
    s.rows_in.toLocaleString('en-US'),
    s.rows_stored.toLocaleString('en-US'),
    s.rows_quarantined.toLocaleString('en-US'),
    '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 4 && i <= 6 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.forEach((r, i) => {
    if (i === rows.length - 1) out.push(widths.map((w) => '-'.repeat(w)).join('  '));
    out.push(line(r));
  });
  const errors = s.files.filter((f) => f.error).map((f) => `error: ${f.error}`);
  const rate = s.seconds > 0 ? Math.round(s.rows_in / s.seconds).toLocaleString('en-US') : '-';
  return [...out, '', ...errors, `${s.seconds.toFixed(1)} s, ${rate} rows/s, peak RSS ${s.peak_rss_mb} MB`].join('\n');
}
