import { resolve } from 'node:path';
import { ConfigError } from '../../config/format-issues.ts';
import type { PluginDefinition } from '../../pipeline/plugin.ts';
import { customPluginDefinition } from './custom-plugin-definition.ts';
import type { CustomPluginEntry } from './custom-plugins-config.ts';
import { readPluginModule } from './custom-plugin-module.ts';
import { importPluginModule } from './import-plugin-module.ts';

/** Where a config came from: its source (named in errors) and the folder its relative paths start from. */
export interface ConfigOrigin {
  source: string;
  folder: string;
}

/**
 * The plugin definitions a config can name: the built-in ones and those of its `custom_plugins:`,
 * each module imported from its file (again when the file has changed: import-plugin-module.ts).
 * Throws ConfigError listing every entry that cannot be used (a missing file, an import that
 * fails, an export of the wrong shape, a name already taken), each with its `custom_plugins[i].path`.
 */
export async function loadCustomPlugins(entries: ReadonlyArray<CustomPluginEntry>, builtIn: ReadonlyMap<string, PluginDefinition>, origin: ConfigOrigin): Promise<ReadonlyMap<string, PluginDefinition>> {
  const files = entries.map((entry) => resolve(origin.folder, entry.path));
  const imported = await Promise.all(files.map((file) => importPluginModule(file)));
  const problems: string[] = [];
  const definitions = new Map(builtIn);
  const customIndex = new Map<string, number>();
  imported.forEach((result, index) => {
    const where = `custom_plugins[${index}].path`;
    if ('problem' in result) return void problems.push(`${where}: ${result.problem}`);
    const read = readPluginModule(result.exports);
    if ('problem' in read) return void problems.push(`${where}: ${files[index]}: ${read.problem}`);
    const { name } = read.plugin;
    if (builtIn.has(name)) return void problems.push(`${where}: ${files[index]}: the name ${JSON.stringify(name)} is a built-in plugin's; give the custom plugin another name`);
    const taken = customIndex.get(name);
    if (taken !== undefined) return void problems.push(`${where}: ${files[index]}: the name ${JSON.stringify(name)} is already the plugin of custom_plugins[${taken}] (${files[taken]})`);
    customIndex.set(name, index);
    definitions.set(name, customPluginDefinition(read.plugin, files[index]));
  });
  if (problems.length > 0) throw new ConfigError(origin.source, problems);
  return definitions;
}
