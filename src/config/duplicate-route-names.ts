/**
 * `routes[i].name` problems: a name two routes share. The name is how a route is found in
 * `x-tollgate-route`, the usage ledger and the Admin API's `/routes/{id}`, and it salts a split's
 * hash: two routes of one name cannot be told apart.
 */
export function duplicateRouteNames(routes: ReadonlyArray<{ name?: string | undefined }>): Array<{ index: number; message: string }> {
  const first = new Map<string, number>();
  const problems: Array<{ index: number; message: string }> = [];
  routes.forEach((route, index) => {
    if (route.name === undefined) return;
    const earlier = first.get(route.name);
    if (earlier === undefined) first.set(route.name, index);
    else problems.push({ index, message: `${JSON.stringify(route.name)} is already the name of routes[${earlier}]; route names must be unique (they identify a route in x-tollgate-route, the usage ledger and /routes/{id})` });
  });
  return problems;
}
