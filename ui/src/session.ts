/**
 * The token lives in sessionStorage: it is kept for this tab only and dies with it, and no other
 * tab or site can read it through a cookie.
 */
const KEY = 'tmr.session';

export interface Session {
  readonly token: string;
  readonly username: string;
  readonly expiresAt: string;
}

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { token, username, expiresAt } = parsed as Record<string, unknown>;
    if (typeof token !== 'string' || typeof username !== 'string' || typeof expiresAt !== 'string') return undefined;
    return { token, username, expiresAt };
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
