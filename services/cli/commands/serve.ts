import { UsageError } from '../../core/usage-error.js';
import { serve, type ServeOptions } from '../../api/server.js';
import { killAllSqlWorkers } from '../../lake/sql/index.js';
import { dataDirOf, mapTilesOf, parseCommandArgs, positiveNumber } from '../args.js';
import { AUTH_ARGS, AUTH_HELP, authOptionsOf, type AuthArgValues } from '../auth-args.js';

/** Options `serve` and `start` share: where the lake is, where to listen, and the map's base layers. */
export const SERVER_ARGS = {
  data: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  districts: { type: 'string' },
  tiles: { type: 'string' },
  'tiles-crs': { type: 'string' },
  'shutdown-grace': { type: 'string' },
  ...AUTH_ARGS,
} as const;

export const SERVER_HELP = `  --data DIR               the lake (default $AVLOG_DATA or ./data)
  --port N                 default $PORT or 8080
  --host H                 default 127.0.0.1
  --districts FILE         GeoJSON of named district polygons (WGS-84) drawn under the map
  --tiles URL              raster tiles under the map: an XYZ template with {z}, {x}, {y}, absolute
                           http(s) or a path on this host, e.g. https://tiles.example/{z}/{x}/{y}.png
  --tiles-crs wgs84|gcj02  the tiles' coordinate system (default wgs84); gcj02 for AMap/Tencent tiles,
                           which shifts our WGS-84 data onto them when drawing
  --shutdown-grace S       on SIGTERM/SIGINT: stop accepting, let requests and ingests in flight finish for
                           up to S seconds (default 10), then exit (an unfinished ingest leaves nothing in the
                           lake); a second signal exits at once
${AUTH_HELP}`;

const HELP = `usage: avlog serve [--data DIR] [--port N] [--host H] [--districts FILE.geojson] [--tiles URL [--tiles-crs wgs84|gcj02]]

Serves the API and the map over the lake. OpenAPI docs at /docs.

${SERVER_HELP}`;

export function portOf(value: string | undefined): number {
  const port = Number(value ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0…65535 (got "${value}")`);
  return port;
}

/** The server's options from `SERVER_ARGS` values, validated (a bad value is a UsageError naming the flag). */
export function serveOptionsOf(
  values: {
    data?: string;
    port?: string;
    host?: string;
    districts?: string;
    tiles?: string;
    'tiles-crs'?: string;
    'shutdown-grace'?: string;
  } & AuthArgValues,
): ServeOptions {
  const tiles = mapTilesOf(values.tiles, values['tiles-crs']);
  const host = values.host ?? '127.0.0.1';
  return {
    dataDir: dataDirOf(values.data),
    port: portOf(values.port),
    host,
    auth: authOptionsOf(values, host),
    ...(values.districts !== undefined ? { districtsFile: values.districts } : {}),
    ...(tiles ? { mapTiles: tiles } : {}),
    shutdownGraceS: positiveNumber('--shutdown-grace', values['shutdown-grace']) ?? 10,
  };
}

/**
 * Runs until SIGINT/SIGTERM, then shuts down gracefully: stops accepting, lets in-flight requests finish (SQL
 * workers are killed when the app closes), and returns 0; past the grace it kills the SQL workers and exits 0
 * anyway (ingests write to staging and publish atomically, so an unfinished one leaves the lake as it was).
 * A second signal exits at once.
 */
export async function runServer(options: ServeOptions): Promise<number> {
  const server = await serve(options);
  const tiles = options.mapTiles ? `, map tiles ${options.mapTiles.url} (${options.mapTiles.crs})` : '';
  const auth = options.auth?.mode ?? 'none';
  process.stdout.write(
    `avlog serving ${server.url} (API docs ${server.url}/docs) over ${options.dataDir}${tiles}, --auth ${auth}
`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const graceS = options.shutdownGraceS ?? 10;
  const now = (): void => {
    killAllSqlWorkers();
    process.stdout.write('avlog: second signal: exiting now\n');
    process.exit(1);
  };
  process.once('SIGINT', now);
  process.once('SIGTERM', now);
  process.stdout.write(
    `avlog: ${signal}: stopping (in-flight requests get up to ${graceS} s; signal again to exit now)\n`,
  );
  const grace = setTimeout(() => {
    killAllSqlWorkers();
    process.stdout.write(`avlog: requests still in flight after ${graceS} s: exiting\n`);
    process.exit(0);
  }, graceS * 1000);
  await server.close();
  clearTimeout(grace);
  process.stdout.write('avlog: stopped\n');
  return 0;
}

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...SERVER_ARGS, help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  return runServer(serveOptionsOf(values));
}
