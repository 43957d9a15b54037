/**
 * Suffixes providers add to a model family's name for a dated or versioned snapshot, which cost
 * the same as the family: OpenAI `-2024-07-18`, Anthropic `-20241022`, Cohere `-08-2024`, Vertex
 * `@20240229`, Bedrock `-v1:0` (and a cross-region prefix such as `us.`), and `-latest` aliases.
 */
const snapshotSuffixes = [/-\d{4}-\d{2}-\d{2}$/, /-\d{8}$/, /-\d{2}-\d{4}$/, /@(\d{8}|latest|\d{3})$/, /-v\d+(:\d+)?$/, /:\d+$/, /-0\d{2}$/, /-latest$/];
const regionPrefix = /^(us|eu|apac|global|us-gov|jp|au|ca)\./;

/** The family name of a model: lower case, without snapshot suffixes or a Bedrock region prefix. */
export function normalizeModelName(model: string): string {
  let name = model.trim().toLowerCase().replace(regionPrefix, '');
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of snapshotSuffixes) {
      const next = name.replace(suffix, '');
      if (next !== name && next.length > 0) {
        name = next;
        changed = true;
      }
    }
  }
  return name;
}

/** The last path segment (`accounts/fireworks/models/x` -> `x`, `meta-llama/Llama-3` -> `llama-3`). */
export function lastSegment(model: string): string {
  const slash = model.lastIndexOf('/');
  return slash === -1 ? model : model.slice(slash + 1);
}
