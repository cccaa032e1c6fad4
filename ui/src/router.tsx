import { createContext, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { RouterProvider } from 'react-aria-components';

/**
 * Client-side routes. Every page has its own URL (shareable, back/forward work); the server answers
 * these paths with index.html (src/server/ui-assets.ts keeps the same list). None of them is a
 * GraphQL or REST path of the API.
 */
export const UI_ROUTES = ['/', '/sign-in', '/browse', '/register', '/admin', '/status'] as const;

export interface Location {
  readonly pathname: string;
  readonly search: URLSearchParams;
}

const LocationContext = createContext<Location>({ pathname: '/', search: new URLSearchParams() });

/**
 * Navigation notifies subscribers directly (pushState fires no event); back and forward arrive as
 * popstate. useSyncExternalStore also catches a navigation made before the router subscribed
 * (a child's effect runs before its parent's).
 */
const listeners = new Set<() => void>();
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}
const currentHref = () => `${window.location.pathname}${window.location.search}`;

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  for (const listener of listeners) listener();
}

export function Router({ children }: { children: ReactNode }) {
  const href = useSyncExternalStore(subscribe, currentHref);
  const location = useMemo<Location>(() => {
    const url = new URL(href, window.location.origin);
    return { pathname: url.pathname, search: url.searchParams };
  }, [href]);
  return (
    <RouterProvider navigate={(to) => navigate(to)}>
      <LocationContext.Provider value={location}>{children}</LocationContext.Provider>
    </RouterProvider>
  );
}

export const useLocation = () => useContext(LocationContext);

/** `/browse?type=MODEL&q=bert` from a path and the parameters that are set. */
export function hrefOf(pathname: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const query = search.toString();
  return query ? `${pathname}?${query}` : pathname;
}

export const artifactHref = (id: string) => `/browse/${encodeURIComponent(id)}`;
