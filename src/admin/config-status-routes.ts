import { z } from 'zod';
import type { ReloadOutcome } from '../config/reload-outcome.ts';
import { errors } from '../errors/catalogue.ts';
import type { AdminRouteTable } from './route-table.ts';

/** The gateway's side of the config's reloads, as the Admin API shows and starts them. */
export interface ConfigReloads {
  /** The running configuration's file (or `(inline config)`). */
  source(): string;
  /** When the running configuration was loaded: the start, or the last applied reload (ISO 8601). */
  loadedAt(): string;
  /** How the last reload ended; null before the first. */
  last(): ReloadOutcome | null;
  /** Reloads as SIGHUP does; null while the gateway is stopping. */
  reload(): Promise<ReloadOutcome | null>;
}

const timestamp = z.string().describe('ISO 8601 UTC time.');
const trigger = z.enum(['file', 'signal', 'admin_api']).describe('What started it: the file watch, SIGHUP, or POST /config/reload.');
const result = z.enum(['applied', 'rejected']).describe('applied: the new file serves; rejected: the running configuration stays, as it was.');
const restartNeeded = z.array(z.string()).describe('Settings the file changed that apply only at the next start (server.port, admin.tokens, ...).');

const lastReload = z
  .object({ at: timestamp, trigger, result, problem_count: z.number().int().describe('How many problems rejected it (0 when applied); POST /config/reload, or the log, lists them.'), restart_needed: restartNeeded })
  .nullable()
  .describe('How the last reload ended; null when there has been none since the start.');

const status = z.object({
  config: z.string().describe('The running configuration\'s file.'),
  loaded_at: timestamp.describe('When the running configuration was loaded: the start, or the last applied reload.'),
  last_reload: lastReload,
});

const outcome = z.object({
  at: timestamp,
  trigger,
  result,
  problems: z.array(z.string()).describe('Why it was rejected, one line per problem with its path, as `config validate` prints them (secrets masked); empty when applied.'),
  problem_count: z.number().int(),
  restart_needed: restartNeeded,
});

/**
 * GET /config/status and POST /config/reload: whether the file on disk is what serves. A
 * rejected reload keeps the running configuration (and /readyz ready), which only the log said;
 * the status says when the running configuration was loaded and how the last reload ended (the
 * problems counted, not quoted: a viewer token may read it), and an admin may reload as SIGHUP
 * does and read the problems in the answer.
 */
export function addConfigStatusRoutes(table: AdminRouteTable, reloads: ConfigReloads): void {
  table.add({
    method: 'GET', path: '/config/status', summary: 'The running configuration: its file, when it was loaded, how the last reload ended', tag: 'config', access: 'read',
    response: { status: 200, description: 'The status.', schema: status },
    handle: async () => {
      const last = reloads.last();
      return {
        config: reloads.source(),
        loaded_at: reloads.loadedAt(),
        last_reload: last === null ? null : { at: last.at, trigger: last.trigger, result: last.result, problem_count: last.problems.length, restart_needed: last.restart_needed },
      };
    },
  });
  table.add({
    method: 'POST', path: '/config/reload', summary: 'Reload the config file now, as SIGHUP does; answers how it ended (a rejected file leaves the running configuration serving)', tag: 'config', access: 'write',
    response: { status: 200, description: 'The reload ran: `result` says whether it was applied or rejected, `problems` why.', schema: outcome },
    handle: async () => {
      const ended = await reloads.reload();
      if (ended === null) throw errors.shuttingDown();
      return { ...ended, problem_count: ended.problems.length };
    },
  });
}
