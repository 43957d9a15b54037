import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { configSchema, type TollgateConfig } from './schema.ts';
import { substituteEnv } from './substitute-env.ts';
import { ConfigError, formatIssues } from './format-issues.ts';

export interface LoadedConfig {
  config: TollgateConfig;
  /** Where it came from: a file path, or "(embedded defaults)". */
  source: string;
  /** Environment variables referenced without a value or default. */
  missingEnv: string[];
}

/** Parses and validates configuration text; throws ConfigError naming every problem. */
export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(source, document.errors.map((error) => `YAML: ${error.message.split('\n')[0]}`));
  }
  const raw = document.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(source, ['(root): expected a mapping of sections (server, providers, models, ...)']);
  const missingEnv: string[] = [];
  const substituted = substituteEnv(raw, env, missingEnv);
  const result = configSchema.safeParse(substituted);
  if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues));
  return { config: result.data, source, missingEnv: [...new Set(missingEnv)] };
}

/** Reads, parses and validates a YAML config file. */
export async function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  return parseConfig(text, path, env);
}
