import { encodePieces, resultHead } from '../encode.js';
import { SqlRejected } from '../errors.js';
import { SqlSandbox } from '../sandbox.js';
import type { FromWorker, ToWorker, WorkerBoot, WorkerQuery } from './protocol.js';

/** Bytes per batch sent to the server: the most of a result the server holds at once. */
const BATCH_BYTES = 1 << 20;

/**
 * A SQL worker process: one locked sandbox, one query at a time, its result sent to the parent in batches of
 * about BATCH_BYTES, each after the parent asked for more. The parent kills this process at its time or memory
 * cap, so nothing here needs to give up cleanly.
 */
async function main(): Promise<void> {
  const send = (m: FromWorker): void => {
    process.send?.(m);
  };
  const boot = JSON.parse(process.argv[2] ?? '{}') as WorkerBoot;
  const sandbox = await SqlSandbox.open(boot.dataDir, boot.limits);
  const waiting = new Map<number, () => void>();
  process.on('message', (raw: ToWorker) => {
    if (raw.type === 'more') {
      waiting.get(raw.id)?.();
      waiting.delete(raw.id);
    } else void run(raw);
  });
  process.on('disconnect', () => process.exit(0));
  const more = (id: number): Promise<void> => new Promise((resolve) => waiting.set(id, resolve));

  async function run(q: WorkerQuery): Promise<void> {
    try {
      const result = await sandbox.query(q.sql, {
        ...(q.company !== undefined ? { scope: { company: q.company } } : {}),
        ...(q.maxRows !== undefined ? { maxRows: q.maxRows } : {}),
        ...(q.maxBytes !== undefined ? { maxBytes: q.maxBytes } : {}),
        timeoutMs: q.timeoutMs,
      });
      const head = resultHead(result, q.format);
      send({ type: 'head', id: q.id, contentType: head.contentType, headers: head.headers });
      let pending: Uint8Array[] = [];
      let size = 0;
      const flush = async (): Promise<void> => {
        if (size === 0) return;
        const bytes = Buffer.concat(pending);
        pending = [];
        size = 0;
        for (let at = 0; at < bytes.length; at += BATCH_BYTES) {
          const ack = more(q.id);
          send({ type: 'batch', id: q.id, bytes: bytes.subarray(at, at + BATCH_BYTES) });
          await ack;
        }
      };
      for (const piece of encodePieces(result, q.format)) {
        pending.push(piece);
        size += piece.length;
        if (size >= BATCH_BYTES) await flush();
      }
      await flush();
      send({ type: 'end', id: q.id });
    } catch (e) {
      if (e instanceof SqlRejected) send({ type: 'rejected', id: q.id, code: e.code, message: e.message });
      else send({ type: 'failed', id: q.id, message: e instanceof Error ? e.message : String(e) });
    }
  }
  send({ type: 'ready' });
}

main().catch((e: unknown) => {
  process.stderr.write(
    `avlog SQL worker failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
