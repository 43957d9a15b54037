import { z } from 'zod';
import type { Plugin, PluginDefinition, PluginDependencies } from '../../pipeline/plugin.ts';
import type { CustomPluginModule } from './custom-plugin-module.ts';
import { guardHooks } from './guard-hooks.ts';
import { refuse } from './refuse.ts';

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message === '' ? 'refused (no message)' : message;
}

/**
 * The module's validate() as the config schema the pipeline compiler checks every plugin config
 * with, so its problems are reported like a built-in plugin's: `plugins.<name>: <its message>`.
 * It gets a copy of the config (what it changes is not the running config the Admin API shows);
 * without validate, or when it returns nothing, the config is used as written.
 */
function configSchemaOf(plugin: CustomPluginModule): z.ZodType<unknown> {
  const { validate } = plugin;
  return z.unknown().transform((config, context) => {
    if (validate === undefined) return config;
    let result: unknown;
    try {
      result = validate.call(plugin, structuredClone(config));
    } catch (error) {
      context.addIssue({ code: 'custom', message: messageOf(error) });
      return z.NEVER;
    }
    if (result instanceof Promise) {
      result.catch(() => {});
      context.addIssue({ code: 'custom', message: 'validate() returned a promise: it must check the config synchronously' });
      return z.NEVER;
    }
    return result === undefined ? config : result;
  });
}

/**
 * A custom plugin as the pipeline knows every plugin: a definition (its code is already imported,
 * so `load` has nothing to do) whose `create` calls the module's and guards the hooks it returns.
 * A create() that throws or returns something else than hooks is a config problem at the plugin's
 * config path, as a built-in plugin's is.
 */
export function customPluginDefinition(plugin: CustomPluginModule, file: string): PluginDefinition {
  const { name, priority } = plugin;
  return {
    name,
    description: plugin.description ?? `Custom plugin from ${file}.`,
    priority,
    configSchema: configSchemaOf(plugin),
    load: () => Promise.resolve(),
    create(config: unknown, dependencies: PluginDependencies): Plugin {
      const logger = dependencies.logger.child({ plugin: name });
      let hooks: unknown;
      try {
        hooks = plugin.create(config, { logger, refuse });
      } catch (error) {
        throw new Error(`create() failed: ${messageOf(error)}`);
      }
      if (hooks instanceof Promise) {
        hooks.catch(() => {});
        throw new Error('create() returned a promise: it must return the hooks object itself (set up asynchronous resources at the module\'s top level, or lazily in a hook)');
      }
      return guardHooks(name, priority, hooks, logger);
    },
  };
}
