const reference = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const wholeReference = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

/**
 * Replaces ${VAR} and ${VAR:-default} in one string. An unset (or empty) variable without a
 * default becomes the empty string and its name is pushed onto `missing`. `$${` escapes `${`.
 */
export function substituteInString(text: string, env: NodeJS.ProcessEnv, missing: string[]): string {
  return text.replace(reference, (whole, escape: string, name: string, fallback: string | undefined) => {
    if (escape) return whole.slice(1);
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return '';
  });
}

/**
 * Substitutes environment references in every string of a parsed YAML document. Doing it after
 * parsing (not on the raw text) means a value with quotes or newlines cannot break the YAML.
 * A string that is one whole reference and resolves to a number or boolean becomes that type,
 * so `port: ${PORT:-8000}` is a number.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, missing: string[] = []): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const result = substituteInString(value, env, missing);
    if (wholeReference.test(value)) {
      if (/^-?\d+(\.\d+)?$/.test(result)) return Number(result);
      if (result === 'true' || result === 'false') return result === 'true';
    }
    return result;
  }
  if (Array.isArray(value)) return value.map((item) => substituteEnv(item, env, missing));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = substituteEnv(item, env, missing);
    return out;
  }
  return value;
}
