import type { Caller } from '../pipeline/context.ts';
import { configConsumerPrefix } from './consumer-identity.ts';

/**
 * The prefix of the ids of teams named only by the config; store ids begin `team_`, so the two
 * never meet. The same `config:` as consumers' (a team id and a consumer id are never compared).
 */
export const configTeamPrefix = configConsumerPrefix;

/**
 * The id of a team the config names (a declared key's `team`, the anonymous plugin's, a JWT's team
 * claim with no store team of that name, a custom plugin's): stable across restarts and nodes, and
 * never the id of a store team, so a store team created later with the same name shares nothing
 * with it.
 */
export function configTeamId(name: string): string {
  return `${configTeamPrefix}${name}`;
}

/** Whether a report's `team` names a team by id (a store team's `team_…`, also a deleted one's, or `config:<name>`) rather than by name. */
export function isTeamId(reference: string): boolean {
  return reference.startsWith('team_') || reference.startsWith(configTeamPrefix);
}

/**
 * Whose team a request counts for: the id authentication set, else (a custom plugin that set only
 * the name) the config id of that name. Undefined for a request with no team.
 */
export function teamIdOf(caller: Caller): string | undefined {
  return caller.teamId ?? (caller.team === undefined ? undefined : configTeamId(caller.team));
}
