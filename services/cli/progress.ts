import cliProgress from 'cli-progress';
import type { IngestProgress } from '../ingest/ingest.js';

const MB = 1024 * 1024;

/** A terminal progress bar of bytes and rows for the file being ingested; silent when stderr is not a terminal. */
export function progressBar(enabled: boolean): { update: (p: IngestProgress) => void; stop: () => void } {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: ' {phase} [{bar}] {percentage}% | {done}/{total} MB | {rows} rows | file {fileNo}/{fileCount} {file}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = {
        phase: p.phase.padEnd(10),
        done: (p.bytesDone / MB).toFixed(1),
        total: (p.bytesTotal / MB).toFixed(1),
        rows: p.rows.toLocaleString('en-US'),
        fileNo: p.fileIndex + 1,
        fileCount: p.fileCount,
        file: p.file,
      };
      if (!started) {
        bar.start(Math.max(1, p.bytesTotal), p.bytesDone, payload);
        started = true;
      }
      bar.setTotal(Math.max(1, p.bytesTotal));
      bar.update(p.bytesDone, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
