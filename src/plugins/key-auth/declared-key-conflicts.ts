import type { TollgateConfig } from '../../config/schema.ts';
import { keyAuthConfigSchema } from './key-auth-config.ts';

interface Declaration {
  path: string;
  consumer: string;
  team: string | undefined;
}

/**
 * The same key string declared in two key-auth configs (the global one and a route's, or two
 * routes') for different consumers or teams: a declared key's id comes from the key itself, so
 * both entries would share one id, one set of limits and budgets and one usage history, and which
 * caller a request counts for would depend on the route it matched. Declaring a key again for the
 * same consumer and team (to give it other models or IPs on one route) is fine. Configs that do
 * not parse are left to key-auth's own checks.
 */
export function declaredKeyConflicts(config: TollgateConfig): string[] {
  const lists: Array<[string, unknown]> = [['plugins.key-auth', config.plugins['key-auth']]];
  config.routes.forEach((route, index) => lists.push([`routes[${index}].plugins.key-auth`, route.plugins['key-auth']]));
  const seen = new Map<string, Declaration>();
  const problems: string[] = [];
  for (const [path, raw] of lists) {
    if (raw === null || typeof raw !== 'object') continue;
    const parsed = keyAuthConfigSchema.safeParse(raw);
    if (!parsed.success) continue;
    parsed.data.keys.forEach((entry, index) => {
      if (entry.key === '') return;
      const here = { path: `${path}.keys[${index}]`, consumer: entry.consumer, team: entry.team };
      const earlier = seen.get(entry.key);
      if (earlier === undefined) {
        seen.set(entry.key, here);
        return;
      }
      if (earlier.consumer !== here.consumer || earlier.team !== here.team) {
        problems.push(`${here.path}.key: the same key as ${earlier.path} but for consumer ${JSON.stringify(here.consumer)}${here.team === undefined ? '' : ` of team ${JSON.stringify(here.team)}`} instead of ${JSON.stringify(earlier.consumer)}${earlier.team === undefined ? '' : ` of team ${JSON.stringify(earlier.team)}`} (a key identifies one caller wherever it is declared)`);
      }
    });
  }
  return problems;
}
