import { assertBindAllowed, NO_AUTH } from './access/auth-options.js';
import { buildApp, type AppOptions } from './app.js';

export interface ServeOptions extends AppOptions {
  port: number;
  host: string;
  /** Seconds in-flight requests get after SIGTERM before the process exits (`runServer`). */
  shutdownGraceS?: number;
}

/** Starts the API on a port with pino request logging; resolves to the listening address. */
export async function serve(opts: ServeOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const { port, host, shutdownGraceS: _grace, ...appOptions } = opts;
  assertBindAllowed(appOptions.auth ?? NO_AUTH, host);
  const app = await buildApp(appOptions, { logger: { level: process.env.AVLOG_LOG_LEVEL ?? 'info' } });
  let url: string;
  try {
    url = await app.listen({ port, host });
  } catch (e) {
    // a busy port: release what the app started (SQL worker processes, the lake) so the process can exit
    await app.close().catch(() => undefined);
    throw e;
  }
  return { url, close: () => app.close() };
}
