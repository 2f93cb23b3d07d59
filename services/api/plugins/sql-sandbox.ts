import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SqlSandbox } from '../../lake/sql/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    sqlSandbox: SqlSandbox;
  }
}

/** The locked DuckDB instance for user SQL: separate from the API's own, opened once, closed with the app. */
export default fp(
  async function sqlSandboxPlugin(app: FastifyInstance, opts: { dataDir: string }) {
    const sandbox = await SqlSandbox.open(opts.dataDir);
    app.decorate('sqlSandbox', sandbox);
    app.addHook('onClose', async () => sandbox.close());
  },
  { name: 'avlog-sql-sandbox' },
);
