import { useEffect, useSyncExternalStore } from 'react';
import { graphql, type ResultOf } from './graphql';
import { request } from './api';
import { loadSession } from './session';

const Viewer = graphql(`
  query Viewer { viewer { user { permissions } } }
`);

export type Permission = ResultOf<typeof Viewer>['viewer']['user']['permissions'][number];

/** A permission as the admin page's checkboxes name it ("Upload"), not the API's enum. */
export const permissionLabel = (permission: Permission): string => permission.charAt(0) + permission.slice(1).toLowerCase();

/**
 * The signed-in user's permissions, read once per token (not per page): the UI offers only what the
 * user may do. The registry still decides every call; this only spares a click that must fail.
 */
let known: { readonly token: string; readonly permissions: readonly Permission[] } | undefined;
let loading: string | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function load(token: string): void {
  if (loading === token) return;
  loading = token;
  void request(Viewer, {}).then((result) => {
    if (loading !== token) return;
    loading = undefined;
    // A failure leaves them unknown: the next page asks again (a refused token signs out anyway).
    if (!result.ok) return;
    known = { token, permissions: result.data.viewer.user.permissions };
    for (const listener of listeners) listener();
  });
}

/** The permissions of the tab's session, or undefined while they are read (or without a session). */
export function usePermissions(): readonly Permission[] | undefined {
  const token = loadSession()?.token;
  const current = useSyncExternalStore(subscribe, () => known);
  useEffect(() => {
    if (token && current?.token !== token) load(token);
  }, [token, current]);
  return token !== undefined && current?.token === token ? current.permissions : undefined;
}

/** Reads them again: an admin changed their own permissions. What is shown stays until the answer. */
export function refreshPermissions(): void {
  const token = loadSession()?.token;
  loading = undefined;
  if (token) load(token);
}
