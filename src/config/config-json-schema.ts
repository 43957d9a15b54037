import { z } from 'zod';
import type { PluginDefinition } from '../pipeline/plugin.ts';
import { pluginDefinitions } from '../plugins/registry.ts';
import { acceptEnvironmentReferences, type JsonSchema } from './environment-reference-schema.ts';
import { configSchema, pluginConfigsSchema } from './schema.ts';

/** A schema as a file written by hand is checked: its input side (defaults optional, before transforms); what JSON Schema cannot say is left open. */
function toJsonSchema(schema: z.ZodType, override?: (context: { zodSchema: unknown; jsonSchema: object }) => void): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override }) as JsonSchema;
}

/**
 * One plugin's entry: `true` or nothing (on, with its defaults), `false` (off), or its settings
 * as its own schema describes them, plus the `enabled` flag every plugin takes.
 */
function pluginEntry(definition: PluginDefinition): JsonSchema {
  const { $schema: _schema, ...settings } = toJsonSchema(definition.configSchema);
  if (settings.properties !== null && typeof settings.properties === 'object') {
    settings.properties = { ...settings.properties, enabled: { type: 'boolean', description: 'false turns the plugin off here, as `false` does; its other settings are then not read.' } };
  }
  return {
    description: definition.description,
    anyOf: [{ type: 'boolean', description: 'true: on, with its default settings; false: off here.' }, { type: 'null', description: 'On, with its default settings.' }, settings],
  };
}

/** The property names that may configure plugins in a file without custom_plugins: the built-in plugins'. */
function builtInNamesOnly(): JsonSchema {
  const names = { propertyNames: { $ref: '#/$defs/builtInPluginName' } };
  const callers = { additionalProperties: { properties: { plugins: names } } };
  return { properties: { plugins: names, routes: { items: { properties: { plugins: names } } }, consumers: callers, teams: callers } };
}

/**
 * The JSON Schema users point their editor at (`tollgate config schema`; draft 2020-12): the
 * config's zod schema, with each built-in plugin's settings under its name (the plugin's own zod
 * schema, converted the same way) wherever plugins are configured, so an editor flags a typo in
 * a plugin's name or settings as `config validate` does. A file that declares `custom_plugins`
 * may name other plugins (their settings are checked by their own validate(), which no schema
 * describes); one that declares none may name only built-in plugins. Any value the environment
 * may supply also takes a `${...}` reference (environment-reference-schema.ts).
 */
export function configJsonSchema(definitions: ReadonlyMap<string, PluginDefinition> = pluginDefinitions): JsonSchema {
  const schema = toJsonSchema(configSchema, (context) => {
    if (context.zodSchema !== (pluginConfigsSchema as unknown)) return;
    for (const key of Object.keys(context.jsonSchema)) delete (context.jsonSchema as JsonSchema)[key];
    (context.jsonSchema as JsonSchema).$ref = '#/$defs/pluginConfigs';
  });
  const names = [...definitions.keys()];
  schema.$defs = {
    ...(schema.$defs as JsonSchema | undefined),
    pluginConfigs: {
      type: 'object',
      description: 'Plugins by name with their settings: a built-in plugin (its settings below) or one that custom_plugins declares (checked by its own validate()).',
      properties: Object.fromEntries([...definitions.values()].map((definition) => [definition.name, pluginEntry(definition)])),
      additionalProperties: { description: 'A plugin custom_plugins declares, by the name its module exports.' },
    },
  };
  // Without custom_plugins, a name no built-in plugin has is a mistake (`prompt-gaurd`), as config validate says.
  schema.if = { required: ['custom_plugins'], properties: { custom_plugins: { type: 'array', minItems: 1 } } };
  schema.then = true;
  schema.else = builtInNamesOnly();
  const published = acceptEnvironmentReferences(schema);
  // Added after the references are allowed: a name is a key, and keys are never substituted.
  (published.$defs as JsonSchema).builtInPluginName = { enum: names, description: `A built-in plugin: ${names.join(', ')} (custom_plugins: declares others).` };
  return published;
}
