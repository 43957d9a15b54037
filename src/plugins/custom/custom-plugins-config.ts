import { z } from 'zod';

/** One `custom_plugins:` entry: a plugin module outside the repository (README.md beside this file). */
export const customPluginEntrySchema = z
  .object({
    path: z
      .string()
      .min(1)
      .describe("The plugin's module file (.mjs, .js or .cjs): relative to the config file's folder, or absolute. It runs with the gateway's privileges: only the operator's own files belong here."),
  })
  .strict();

export const customPluginsSchema = z
  .array(customPluginEntrySchema)
  .default([])
  .describe("Plugin modules outside the repository, imported at start and on every reload (a changed file is imported again); each is then configured by the name it exports under plugins: or a route's plugins:, like a built-in plugin.");

export type CustomPluginEntry = z.infer<typeof customPluginEntrySchema>;
