import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { LakePaths } from '../../ingest/lake/paths.js';
import { baseViewSql, SANDBOX_VIEWS, type SandboxView } from './lake-views.js';
import type { SandboxLimits } from './limits.js';

/** A DuckDB instance for user SQL only, locked down, with an admin connection that maintains its views. */
export interface LockedInstance {
  instance: DuckDBInstance;
  /** Never runs user SQL: creates and replaces the base views. */
  admin: DuckDBConnection;
  /** The database's catalog name (`memory`), for fully qualified references from TEMP views. */
  database: string;
}

/**
 * Creates the sandbox instance in the only order that locks it (checked on DuckDB 1.5, see docs/architecture.md):
 *  1. at creation: no extension auto-install/auto-load, no community or unsigned extensions, the memory limit,
 *     no temporary directory (nothing spills to disk; a query that needs more memory fails);
 *  2. `SET allowed_directories` to the lake and the catalog (list options cannot be given at creation), and
 *     the time zone UTC (ICU's option is not known at creation either);
 *  3. the base views (they read inside the allowed directories);
 *  4. `SET enable_external_access = false`: from here on only the allowed directories can be opened;
 *  5. `SET lock_configuration = true`: no SET/RESET/PRAGMA can undo any of it.
 * Then reads the settings back and refuses to hand out an instance that is not locked.
 */
export async function openLockedInstance(
  paths: LakePaths,
  limits: SandboxLimits,
  files: Record<SandboxView, boolean>,
): Promise<LockedInstance> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    allow_unsigned_extensions: 'false',
    allow_persistent_secrets: 'false',
    memory_limit: limits.memoryLimit,
    threads: String(limits.threads),
    temp_directory: '',
  });
  let admin: DuckDBConnection | null = null;
  try {
    admin = await instance.connect();
    const allowed = [paths.lake, paths.catalog].map((d) => `'${`${d}/`.replaceAll("'", "''")}'`);
    await admin.run(`SET allowed_directories = [${allowed.join(', ')}]`);
    // ICU's option, unknown at creation: set globally so every connection formats and truncates times in UTC.
    await admin.run("SET GLOBAL TimeZone = 'UTC'");
    for (const view of SANDBOX_VIEWS) await admin.run(await baseViewSql(admin, view, paths, files[view]));
    await admin.run('SET enable_external_access = false');
    await admin.run('SET lock_configuration = true');
    const reader = await admin.runAndReadAll(
      `SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked,
              current_setting('autoload_known_extensions') AS autoload, current_setting('temp_directory') AS temp,
              current_setting('TimeZone') AS tz,
              current_database() AS db`,
    );
    const row = reader.getRowObjectsJS()[0];
    if (
      !row ||
      row.external !== false ||
      row.locked !== true ||
      row.autoload !== false ||
      row.temp !== '' ||
      row.tz !== 'UTC'
    ) {
      throw new Error(`the SQL sandbox could not be locked (${JSON.stringify(row)})`);
    }
    return { instance, admin, database: String(row.db) };
  } catch (e) {
    admin?.closeSync();
    instance.closeSync();
    throw e;
  }
}
