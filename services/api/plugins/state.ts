import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { acquireState } from '../../state/shared-state.js';
import type { StateDb } from '../../state/state-db.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The state database (`<data>/state/avlog.duckdb`), opened on first use and released with the app. */
    state(): Promise<StateDb>;
  }
}

/**
 * avlog's own records (tokens, audit, triage) as a shared resource. Opened lazily: an app that never needs them does
 * not take the file's lock, so `avlog state backup` stays possible; apps over the same data directory in one process
 * share one StateDb.
 */
export default fp(
  async function statePlugin(app: FastifyInstance, opts: { dataDir: string }) {
    let held: ReturnType<typeof acquireState> | null = null;
    app.decorate('state', () => (held ??= acquireState(opts.dataDir)).db);
    app.addHook('onClose', async () => held?.release());
  },
  { name: 'avlog-state' },
);
