import { UsageError } from '../../core/usage-error.js';
import { serve, type ServeOptions } from '../../api/server.js';
import { dataDirOf, mapTilesOf, parseCommandArgs } from '../args.js';
import { AUTH_ARGS, AUTH_HELP, authOptionsOf, type AuthArgValues } from '../auth-args.js';

/** Options `serve` and `start` share: where the lake is, where to listen, and the map's base layers. */
export const SERVER_ARGS = {
  data: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  districts: { type: 'string' },
  tiles: { type: 'string' },
  'tiles-crs': { type: 'string' },
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
  };
}

/** Runs until SIGINT/SIGTERM, then closes the server and the lake cleanly. */
export async function runServer(options: ServeOptions): Promise<number> {
  const server = await serve(options);
  const tiles = options.mapTiles ? `, map tiles ${options.mapTiles.url} (${options.mapTiles.crs})` : '';
  const auth = options.auth?.mode ?? 'none';
  process.stdout.write(
    `avlog serving ${server.url} (API docs ${server.url}/docs) over ${options.dataDir}${tiles}, --auth ${auth}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
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
