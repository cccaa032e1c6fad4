import { err, ok, type Result } from '../domain/result.js';
import { userEventBodySchema } from '../store/user-store.js';
import { checkStoredHash, type ScryptCost } from './password-hashing.js';

/**
 * What an import checks of an item of its file before it writes anything: an export file is
 * whatever its bearer made of it, and an item written is served as if the registry had made it.
 */

function jsonOf(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A user event as this registry would have written it; a registration's password hash within the
 * registry's own scrypt cost (every login of that user runs it).
 */
export function checkUserEvent(attributes: Record<string, unknown>, bound: ScryptCost): Result<true, string> {
  const user = `user ${String(attributes['streamId'])}`;
  const body = userEventBodySchema.safeParse({ type: attributes['eventType'], payload: jsonOf(attributes['payload']) });
  if (!body.success) return err(`${user}: event ${String(attributes['version'])} is not a user event of this format`);
  if (body.data.type !== 'UserRegistered') return ok(true);
  const hash = checkStoredHash(body.data.payload.password, bound);
  return hash.ok ? ok(true) : err(`${user}: password hash refused: ${hash.error}`);
}
