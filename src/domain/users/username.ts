import type { Brand } from '../ids.js';
import { appError, err, ok, type Result } from '../result.js';

export type Username = Brand<string, 'Username'>;

/** Usernames are identifiers in keys and logs: a conservative alphabet, case-sensitive. */
const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

export function parseUsername(raw: string): Result<Username> {
  return USERNAME_PATTERN.test(raw)
    ? ok(raw as Username)
    : err(appError('BAD_USER_INPUT', 'username must be 1-64 characters of letters, digits, _, ., @ and -, starting with a letter or digit', { field: 'username' }));
}

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

export function checkPassword(password: string): Result<string> {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return err(appError('BAD_USER_INPUT', `password must be ${MIN_PASSWORD_LENGTH}-${MAX_PASSWORD_LENGTH} characters`, { field: 'password' }));
  }
  return ok(password);
}
