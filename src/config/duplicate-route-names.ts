/**
 * The name a route goes by: its own, else `route-<index>`. One rule for `x-tollgate-route`, logs,
 * the usage ledger and the Admin API's `/routes/{id}`, so a report filtered by the id the Admin
 * API shows finds the route's records.
 */
export function routeNameOf(route: { name?: string | undefined }, index: number): string {
  return route.name ?? `route-${index}`;
}

/**
 * `routes[i].name` problems: a name two routes share, given or the one an unnamed route gets
 * (`route-<index>`, routeNameOf). The name is how a route is found in `x-tollgate-route`, the
 * usage ledger and the Admin API's `/routes/{id}`, and it salts a split's hash: two routes of one
 * name cannot be told apart.
 */
export function duplicateRouteNames(routes: ReadonlyArray<{ name?: string | undefined }>): Array<{ index: number; message: string }> {
  const first = new Map<string, number>();
  routes.forEach((route, index) => {
    if (route.name === undefined) first.set(routeNameOf(route, index), index);
  });
  const problems: Array<{ index: number; message: string }> = [];
  routes.forEach((route, index) => {
    if (route.name === undefined) return;
    const earlier = first.get(route.name);
    if (earlier === undefined) {
      first.set(route.name, index);
      return;
    }
    const whose = routes[earlier]!.name === undefined ? `the name routes[${earlier}] goes by (it has none of its own: an unnamed route is route-<index>)` : `already the name of routes[${earlier}]`;
    problems.push({ index, message: `${JSON.stringify(route.name)} is ${whose}; route names must be unique (they identify a route in x-tollgate-route, the usage ledger and /routes/{id})` });
  });
  return problems;
}
