import type { ProviderDefinition } from './provider.ts';

/** The part of a `providers:` entry its type's definition judges. */
export interface ProviderEntryFields {
  type: string;
  base_url?: string;
  options?: Record<string, unknown>;
}

/**
 * The problems of one `providers:` entry that its type's definition tells: an unknown type,
 * options the type does not read, a base_url the type cannot do without. One rule for the start
 * (planProviders) and for the first pass of `config validate` (load-config.ts), which reports them
 * beside the schema's problems.
 */
export function providerEntryProblems(name: string, entry: ProviderEntryFields, definitions: ReadonlyMap<string, ProviderDefinition>): string[] {
  const definition = definitions.get(entry.type);
  if (!definition) return [`providers.${name}.type: unknown provider type ${JSON.stringify(entry.type)} (known: ${[...definitions.keys()].join(', ')})`];
  const problems: string[] = [];
  const unknownOptions = definition.optionNames === undefined ? [] : Object.keys(entry.options ?? {}).filter((option) => !definition.optionNames!.includes(option));
  for (const option of unknownOptions) {
    const known = definition.optionNames!.length === 0 ? 'type ' + entry.type + ' takes no options' : `type ${entry.type} takes ${definition.optionNames!.join(', ')}`;
    problems.push(`providers.${name}.options: unknown field ${JSON.stringify(option)} (${known})`);
  }
  // An empty base_url (an unset variable) is the schema's problem, which names the variable.
  if (definition.requiresBaseUrl && entry.base_url === undefined) {
    problems.push(`providers.${name}.base_url: required for type ${entry.type}, which has no default address; write the server's URL, e.g. base_url: "http://127.0.0.1:8000/v1"`);
  }
  return problems;
}
