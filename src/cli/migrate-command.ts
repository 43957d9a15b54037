import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load-config.ts';
import { SchemaTooNewError } from '../store/migrations.ts';
import { openStore } from '../store/open-store.ts';
import { processOutput, type CommandOutput } from './identity-commands.ts';

/**
 * `tollgate migrate`: brings the store up to this version's schema (the gateway also does this at
 * start; running it first lets a deploy migrate once before the new nodes roll out). The store is
 * --storage, else $TOLLGATE_STORAGE, else `storage:` of --config / $TOLLGATE_CONFIG / ./tollgate.yaml,
 * else the default sqlite:./data/tollgate.db.
 */
export async function runMigrateCommand(argv: string[], io: CommandOutput = processOutput): Promise<number> {
  const { values } = parseArgs({ args: argv, allowPositionals: false, options: { storage: { type: 'string' }, config: { type: 'string', short: 'c' } } });
  let storage = values.storage ?? process.env.TOLLGATE_STORAGE;
  if (storage === undefined) {
    const configPath = values.config ?? process.env.TOLLGATE_CONFIG ?? (existsSync('tollgate.yaml') ? 'tollgate.yaml' : undefined);
    storage = configPath ? (await loadConfigFile(configPath)).config.storage : 'sqlite:./data/tollgate.db';
  }
  try {
    const { store, migration, where } = await openStore(storage);
    await store.close();
    io.stdout(migration.applied.length === 0 ? `${where}: schema is up to date (version ${migration.to}).\n` : `${where}: migrated from version ${migration.from} to ${migration.to}:\n${migration.applied.map((line) => `  ${line}\n`).join('')}`);
    return 0;
  } catch (error) {
    io.stderr(`tollgate migrate: ${(error as Error).message}\n`);
    return error instanceof SchemaTooNewError ? 4 : 1;
  }
}
