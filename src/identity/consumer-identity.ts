import type { Caller } from '../pipeline/context.ts';

/** The prefix of the ids of consumers named only by the config; store ids begin `con_`, so the two never meet. */
export const configConsumerPrefix = 'config:';

/**
 * The id of a consumer the config names (a declared key's `consumer`, the anonymous plugin's, a
 * custom plugin's): stable across restarts and nodes, and never the id of a store consumer, so a
 * store consumer created later with the same name shares nothing with it.
 */
export function configConsumerId(name: string): string {
  return `${configConsumerPrefix}${name}`;
}

/**
 * Whose consumer a request counts for: the id authentication set, else (a custom plugin that set
 * only the name) the config id of that name. Undefined for a request with no consumer.
 */
export function consumerIdOf(caller: Caller): string | undefined {
  return caller.consumerId ?? (caller.consumer === undefined ? undefined : configConsumerId(caller.consumer));
}
