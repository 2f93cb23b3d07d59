import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SqlWorkerPool, type SqlPoolOptions } from '../../lake/sql/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    sqlPool: SqlWorkerPool;
  }
}

/** The SQL worker processes: started when the app is ready, killed when it closes. */
export default fp(
  async function sqlSandboxPlugin(app: FastifyInstance, opts: { dataDir: string; pool?: Partial<SqlPoolOptions> }) {
    const pool = SqlWorkerPool.open(opts.dataDir, opts.pool);
    app.decorate('sqlPool', pool);
    // Started once the app has loaded, not competing with it for the CPU.
    app.addHook('onReady', async () => pool.start());
    app.addHook('onClose', async () => pool.close());
  },
  { name: 'avlog-sql-sandbox' },
);
