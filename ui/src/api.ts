import { print } from '@0no-co/graphql.web';
import type { TadaDocumentNode } from 'gql.tada';
import { clearSession, loadSession } from './session';

/** One GraphQL error as the registry sends it: a message and a stable `extensions.code`. */
export interface ApiError {
  readonly message: string;
  readonly code: string;
  readonly extensions: Record<string, unknown>;
}

export type ApiResult<T> = { readonly ok: true; readonly data: T; readonly errors: readonly ApiError[] } | { readonly ok: false; readonly errors: readonly ApiError[] };

/** Called when the token is refused (expired, used up, registry reset): the app returns to sign-in. */
let onSignedOut: (reason: string) => void = () => {};
export function whenSignedOut(handler: (reason: string) => void): void {
  onSignedOut = handler;
}

const networkError = (message: string): ApiError => ({ message, code: 'NETWORK_ERROR', extensions: {} });

function parseErrors(value: unknown): ApiError[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry: unknown) => {
    const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const extensions = (typeof record['extensions'] === 'object' && record['extensions'] !== null ? record['extensions'] : {}) as Record<string, unknown>;
    const code = typeof extensions['code'] === 'string' ? extensions['code'] : 'UNKNOWN';
    return { message: typeof record['message'] === 'string' ? record['message'] : 'unknown error', code, extensions };
  });
}

/**
 * Sends one typed operation to /graphql with the tab's token. A refused token ends the session:
 * the caller gets the error and the app shows sign-in with the reason.
 */
export async function request<T, V>(document: TadaDocumentNode<T, V>, variables?: V, init: { anonymous?: boolean } = {}): Promise<ApiResult<T>> {
  const session = init.anonymous ? undefined : loadSession();
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(session && { authorization: `Bearer ${session.token}` }),
      },
      body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
    });
  } catch {
    return { ok: false, errors: [networkError('The registry could not be reached. Check your connection and try again.')] };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, errors: [networkError(`The registry answered HTTP ${response.status} without a GraphQL body.`)] };
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const errors = parseErrors(record['errors']);
  const unauthenticated = errors.find((e) => e.code === 'UNAUTHENTICATED');
  if (unauthenticated && session) {
    clearSession();
    onSignedOut(unauthenticated.message);
  }
  const data = record['data'];
  if (data === null || data === undefined || errors.length > 0 && !isComplete(data)) return { ok: false, errors: errors.length ? errors : [networkError('empty answer')] };
  return { ok: true, data: data as T, errors };
}

/** A partial answer (some fields null with errors) still renders; a missing root does not. */
function isComplete(data: unknown): boolean {
  return typeof data === 'object' && data !== null && Object.values(data).every((v) => v !== null);
}

/** The message to show for a failed call, with its code, so a user can report it precisely. */
export function describeErrors(errors: readonly ApiError[]): string {
  return errors.map((e) => `${e.message} (${e.code})`).join('; ');
}
