import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LakeDb } from '../../lake/lake-db.js';
import { LakeRepository } from '../../lake/repository.js';
import { recoverLake } from '../../ingest/lake/recover-lake.js';

declare module 'fastify' {
  interface FastifyInstance {
    lake: LakeRepository;
    dataDir: string;
  }
}

/** The lake as a shared resource: one DuckDB over the Parquet files, released when the app closes. */
export default fp(
  async function lakePlugin(app: FastifyInstance, opts: { dataDir: string }) {
    // Before answering: finish what a crash interrupted, so the catalog and the lake agree from the first request.
    const recovered = await recoverLake(opts.dataDir, { onWait: (m) => app.log.info(m) });
    for (const d of recovered.damaged) app.log.warn(`moved the unreadable lake file ${d.path} aside: ${d.error}`);
    const db = await LakeDb.open(opts.dataDir);
    app.decorate('lake', new LakeRepository(db));
    app.decorate('dataDir', opts.dataDir);
    app.addHook('onClose', async () => db.close());
  },
  { name: 'avlog-lake' },
);
