import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { StateDb } from '../../state/state-db.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The state database (`<data>/state/avlog.duckdb`), opened on first use and closed with the app. */
    state(): Promise<StateDb>;
  }
}

/**
 * avlog's own records (triage) as a shared resource. Opened lazily: an app that never triages does not take the
 * file's lock, so `avlog state backup` and a second app over the same data directory (tests) stay possible.
 */
export default fp(
  async function statePlugin(app: FastifyInstance, opts: { dataDir: string }) {
    let opening: Promise<StateDb> | null = null;
    app.decorate('state', () => (opening ??= StateDb.open(opts.dataDir)));
    app.addHook('onClose', async () => {
      if (opening) await (await opening.catch(() => null))?.close();
    });
  },
  { name: 'avlog-state' },
);
