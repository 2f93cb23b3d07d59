import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LakeDb } from '../../lake/lake-db.js';
import { LakeRepository } from '../../lake/repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    lake: LakeRepository;
    dataDir: string;
  }
}

/** The lake as a shared resource: one DuckDB over the Parquet files, released when the app closes. */
export default fp(
  async function lakePlugin(app: FastifyInstance, opts: { dataDir: string }) {
    const db = await LakeDb.open(opts.dataDir);
    app.decorate('lake', new LakeRepository(db));
    app.decorate('dataDir', opts.dataDir);
    app.addHook('onClose', async () => db.close());
  },
  { name: 'avlog-lake' },
);
