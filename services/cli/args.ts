import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/usage-error.js';
import { closest } from '../core/closest.js';
import { loadFleetReference, type FleetReference } from '../reference/fleet-reference.js';

/** util.parseArgs with errors turned into UsageError naming the command. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // Node's own message for an unknown flag talks about '--'; name the flag and the nearest known one instead.
    const unknown =
      err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-{1,2}[^']+)'/u.exec(err.message)?.[1] : undefined;
    if (unknown !== undefined) {
      const guess = closest(unknown.replace(/^-+/u, ''), Object.keys(options));
      throw new UsageError(
        `unknown option ${unknown}${guess ? ` — did you mean --${guess}?` : ''} (--help lists the options)`,
      );
    }
    throw new UsageError(err.message);
  }
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number (got "${value}")`);
  return n;
}

/** The data directory: --data, else $AVLOG_DATA, else ./data. */
export function dataDirOf(flag: string | undefined): string {
  return flag ?? process.env.AVLOG_DATA ?? 'data';
}

export type TilesCrs = 'wgs84' | 'gcj02';
export const TILES_CRS: readonly TilesCrs[] = ['wgs84', 'gcj02'];

/**
 * `--tiles URL [--tiles-crs wgs84|gcj02]`: raster tiles under the map. The URL is an XYZ template with {z}, {x}
 * and {y} (or {-y}, TMS rows), absolute http(s) or a path on the serving host (a tile server behind the same
 * proxy); the browser fetches it, so nothing else may go there. AMap and Tencent tiles are GCJ-02.
 */
export function mapTilesOf(
  url: string | undefined,
  crs: string | undefined,
): { url: string; crs: TilesCrs } | undefined {
  if (url === undefined) {
    if (crs !== undefined) throw new UsageError('--tiles-crs needs --tiles URL');
    return undefined;
  }
  const missing = ['{z}', '{x}']
    .filter((p) => !url.includes(p))
    .concat(url.includes('{y}') || url.includes('{-y}') ? [] : ['{y}']);
  if (missing.length)
    throw new UsageError(
      `--tiles must be an XYZ template with {z}, {x} and {y}: "${url}" has no ${missing.join(', ')}`,
    );
  const filled = url.replaceAll(/\{-?[zxy]\}/gu, '0');
  let parsed: URL;
  try {
    parsed = new URL(filled, 'http://serving.host');
  } catch {
    throw new UsageError(`--tiles is not a URL: "${url}"`);
  }
  const onHost = url.startsWith('/') && !url.startsWith('//');
  if (!onHost && !/^https?:\/\//iu.test(url))
    throw new UsageError(`--tiles must be an http(s) URL or a path starting with / (got "${url}")`);
  if (!['http:', 'https:'].includes(parsed.protocol))
    throw new UsageError(`--tiles must use http or https (got "${url}")`);
  return { url, crs: oneOf('--tiles-crs', crs, TILES_CRS) ?? 'wgs84' };
}

/** The fleet reference file given with `--fleet`, if any; a missing or malformed file is a usage error naming it. */
export function fleetOf(file: string | undefined): FleetReference | undefined {
  if (file === undefined) return undefined;
  try {
    return loadFleetReference(file);
  } catch (e) {
    throw new UsageError(`--fleet: ${(e as Error).message}`);
  }
}
