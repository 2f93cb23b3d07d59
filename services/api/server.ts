import { buildApp } from './app.js';

export interface ServeOptions {
  dataDir: string;
  port: number;
  host: string;
  /** GeoJSON of named district polygons for the map's base layer. */
  districtsFile?: string;
}

/** Starts the API on a port with pino request logging; resolves to the listening address. */
export async function serve(opts: ServeOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const app = await buildApp({ dataDir: opts.dataDir, ...(opts.districtsFile ? { districtsFile: opts.districtsFile } : {}) }, { logger: { level: process.env.AVLOG_LOG_LEVEL ?? 'info' } });
  const url = await app.listen({ port: opts.port, host: opts.host });
  return { url, close: () => app.close() };
}
