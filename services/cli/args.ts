import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../ingest/errors.js';

/** util.parseArgs with errors turned into UsageError naming the command. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
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
