import { isDeepStrictEqual } from 'node:util';
import type { TollgateConfig } from '../config/schema.ts';

/**
 * Settings a reload cannot apply: they are read once, when the process starts (the listeners'
 * addresses and options, the Admin API's tokens and throttle, the logger, the store, the upstream
 * connection pools, the worker count). `secret`: the value is never logged, only the name.
 */
const restartOnlySettings: ReadonlyArray<{ path: readonly string[]; secret?: true }> = [
  { path: ['server', 'port'] },
  { path: ['server', 'host'] },
  { path: ['server', 'workers'] },
  { path: ['server', 'keep_alive_timeout'] },
  { path: ['server', 'request_timeout'] },
  { path: ['admin', 'enabled'] },
  { path: ['admin', 'port'] },
  { path: ['admin', 'host'] },
  { path: ['admin', 'allowed_hosts'] },
  { path: ['admin', 'tokens'], secret: true },
  { path: ['admin', 'auth_failures'] },
  { path: ['log', 'level'] },
  { path: ['log', 'format'] },
  // A URL may carry a password.
  { path: ['storage'], secret: true },
  { path: ['upstream', 'connections'] },
  { path: ['upstream', 'keep_alive_timeout'] },
  { path: ['upstream', 'max_response_bytes'] },
];

/** The names of the restart-only settings, for the docs test: `server.port`, `admin.tokens`, ... */
export const restartOnlySettingNames: readonly string[] = restartOnlySettings.map((setting) => setting.path.join('.'));

export interface ChangedRestartOnlySetting {
  /** `server.port`, `admin.tokens`, ... */
  setting: string;
  /** The value in effect and the file's, for a setting that is not secret. */
  running?: unknown;
  file?: unknown;
}

function valueAt(config: TollgateConfig, path: readonly string[]): unknown {
  let value: unknown = config;
  for (const part of path) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

/**
 * The restart-only settings whose value in a reloaded file differs from the one the process
 * started with (and still runs with), so the reload can say they wait for a restart instead of
 * letting "configuration reloaded" suggest they apply.
 */
export function changedRestartOnlySettings(running: TollgateConfig, file: TollgateConfig): ChangedRestartOnlySetting[] {
  const changed: ChangedRestartOnlySetting[] = [];
  for (const { path, secret } of restartOnlySettings) {
    const [before, after] = [valueAt(running, path), valueAt(file, path)];
    if (isDeepStrictEqual(before, after)) continue;
    changed.push(secret ? { setting: path.join('.') } : { setting: path.join('.'), running: before, file: after });
  }
  return changed;
}
