import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
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

const read = (): Location => ({ pathname: window.location.pathname, search: new URLSearchParams(window.location.search) });
const LocationContext = createContext<Location>(read());

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function Router({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return (
    <RouterProvider navigate={(href) => navigate(href)}>
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
