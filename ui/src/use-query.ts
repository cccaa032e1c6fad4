import { useCallback, useEffect, useRef, useState } from 'react';
import type { TadaDocumentNode } from 'gql.tada';
import { request, type ApiError } from './api';

export type QueryState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly errors: readonly ApiError[] }
  | { readonly status: 'done'; readonly data: T; readonly errors: readonly ApiError[] };

/**
 * Runs a query when its variables change (compared as JSON). `reload` runs it again and keeps
 * showing the current answer meanwhile, so what the page holds (an upload's message) survives.
 */
export function useQuery<T, V>(document: TadaDocumentNode<T, V>, variables: V): QueryState<T> & { reload(): void } {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<QueryState<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const loadedKey = useRef<string>(undefined);
  useEffect(() => {
    let current = true;
    setState((previous) => (previous.status === 'done' && loadedKey.current === key ? previous : { status: 'loading' }));
    loadedKey.current = key;
    void request(document, JSON.parse(key) as V).then((result) => {
      if (!current) return;
      setState(result.ok ? { status: 'done', data: result.data, errors: result.errors } : { status: 'error', errors: result.errors });
    });
    return () => {
      current = false;
    };
  }, [document, key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}
