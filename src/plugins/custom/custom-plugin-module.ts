import type { Logger } from 'pino';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { authenticationPriority } from '../../pipeline/authentication.ts';
import type { Plugin } from '../../pipeline/plugin.ts';
import type { Refusal } from './refuse.ts';

/**
 * What a custom plugin's module exports (as `export default`, or `export const plugin`). Authors
 * write plain JavaScript, so this shape is checked when the module is imported (readPluginModule)
 * and every problem is a config problem naming the `custom_plugins[i].path` it came from.
 */
export interface CustomPluginModule {
  /** The name it is configured by under `plugins:` or a route's `plugins:`; no built-in plugin's. */
  name: string;
  /** Higher runs first; below the authentication range (under 3000). */
  priority: number;
  description?: string;
  /** Checks a config (as written, without `enabled`) and returns the one to use; throws an Error whose message says what is wrong. */
  validate?(config: unknown): unknown;
  /** Makes an instance from a validated config: an object of hooks, synchronously. */
  create(config: unknown, dependencies: CustomPluginDependencies): CustomPluginHooks;
}

/** What a custom plugin's `create` gets: a logger of its own and the way to refuse a request. */
export interface CustomPluginDependencies {
  /** The gateway's logger, with `plugin: <name>` on every line. */
  logger: Logger;
  /** An error to throw from a hook: the client gets it with this status, in its own format, with x-request-id. */
  refuse(refusal: Refusal): GatewayError;
}

/** The hooks a custom plugin may have: those of the Plugin interface (src/pipeline/plugin.ts); name and priority come from the module. */
export type CustomPluginHooks = Partial<Omit<Plugin, 'name' | 'priority'>>;

/** Names a custom plugin can be configured by: those of the built-in plugins' style. */
const namePattern = /^[a-z0-9][a-z0-9_.-]*$/i;

const moduleFields = new Set(['name', 'priority', 'description', 'validate', 'create']);

function shown(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value) ?? String(value);
}

/**
 * The plugin a module's exports describe, or what is wrong with them (one line, without the
 * config path, which the caller adds).
 */
export function readPluginModule(exports: Record<string, unknown>): { plugin: CustomPluginModule } | { problem: string } {
  const declared = exports.default ?? exports.plugin;
  if (declared === undefined) return { problem: 'exports no plugin: write `export default { name, priority, create }` (or `export const plugin = ...`)' };
  if (declared === null || typeof declared !== 'object' || Array.isArray(declared)) return { problem: `its export is ${shown(declared)}, not a plugin object { name, priority, create }` };
  const fields = declared as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !moduleFields.has(key));
  if (unknown.length > 0) return { problem: `its plugin object has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => JSON.stringify(key)).join(', ')} (fields: ${[...moduleFields].join(', ')})` };
  const { name, priority, description, validate, create } = fields;
  if (typeof name !== 'string' || !namePattern.test(name)) return { problem: `name: expected letters, digits, "-", "_" or "." (e.g. "my-plugin"), got ${shown(name)}` };
  if (typeof priority !== 'number' || !Number.isFinite(priority)) return { problem: `priority: expected a finite number (higher runs first; 2000-2999 admission, 1000-1999 transformation and guardrails, 500-999 cache, 0-499 logging), got ${shown(priority)}` };
  // At 3000 and up a plugin runs as or before authentication: returning there accepts a request
  // (src/pipeline/authentication.ts), and the caller is not known yet. Not for outside code.
  if (priority >= authenticationPriority.min) return { problem: `priority: ${priority} is in or above the authentication range (${authenticationPriority.min}-${authenticationPriority.max}); a custom plugin runs after authentication: use a priority below ${authenticationPriority.min}` };
  if (description !== undefined && typeof description !== 'string') return { problem: `description: expected a string, got ${shown(description)}` };
  if (validate !== undefined && typeof validate !== 'function') return { problem: `validate: expected a function (config) => config, got ${shown(validate)}` };
  if (typeof create !== 'function') return { problem: `create: expected a function (config, { logger, refuse }) => hooks, got ${shown(create)}` };
  return { plugin: declared as CustomPluginModule };
}
