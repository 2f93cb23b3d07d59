import { UsageError } from '../../ingest/errors.js';
import { serve } from '../../api/server.js';
import { dataDirOf, parseCommandArgs } from '../args.js';

const HELP = `usage: avlog serve [--data DIR] [--port N] [--host H] [--districts FILE.geojson]

Serves the API (and the web app) over the lake. OpenAPI docs at /docs. Default port 8080 ($PORT), host 127.0.0.1.`;

export function portOf(value: string | undefined): number {
  const port = Number(value ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0…65535 (got "${value}")`);
  return port;
}

/** Runs until SIGINT/SIGTERM, then closes the server and the lake cleanly. */
export async function runServer(dataDir: string, port: number, host: string, districtsFile?: string): Promise<number> {
  const server = await serve({ dataDir, port, host, ...(districtsFile ? { districtsFile } : {}) });
  process.stdout.write(`avlog serving ${server.url} (API docs ${server.url}/docs) over ${dataDir}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { data: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, districts: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  return runServer(dataDirOf(values.data), portOf(values.port), values.host ?? '127.0.0.1', values.districts);
}
