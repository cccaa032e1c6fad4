/** A route as Hono lists it (`app.routes`). */
export interface RouteEntry {
  readonly method: string;
  readonly path: string;
}

/** Hono's path syntax to a whole-path matcher: `:name` is one segment, `*` anything. */
function matcherOf(path: string): RegExp {
  const pattern = path
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`);
}

/**
 * The methods served on a path, for a 405's `Allow` (RFC 9110 §15.5.6): empty when no route has
 * the path, which stays a 404. Middleware (`use('*')`, method ALL) serves no path of its own; GET
 * brings HEAD, which Hono answers from it.
 */
export function allowedMethodsIndex(routes: readonly RouteEntry[]): (path: string) => string[] {
  const served = routes
    .filter((route) => route.method !== 'ALL' || (route.path !== '*' && route.path !== '/*'))
    .map((route) => ({ method: route.method, matches: matcherOf(route.path) }));
  return (path) => {
    const methods = new Set<string>();
    for (const route of served) {
      if (!route.matches.test(path)) continue;
      if (route.method === 'ALL') return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
      methods.add(route.method);
      if (route.method === 'GET') methods.add('HEAD');
    }
    return [...methods].sort();
  };
}
