import { z } from 'zod';
import { blobKeyFor, parseContentType, parseSha256, type Sha256Hex } from '../domain/artifact-files.js';
import { err, ok, type Result } from '../domain/result.js';
import { userEventBodySchema } from '../store/user-store.js';
import type { PortableItem } from '../store/portable-items.js';
import { checkStoredHash, type ScryptCost } from './password-hashing.js';

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
function checkUserEvent(attributes: Record<string, unknown>, bound: ScryptCost): Result<true, string> {
  const user = `user ${String(attributes['streamId'])}`;
  const body = userEventBodySchema.safeParse({ type: attributes['eventType'], payload: jsonOf(attributes['payload']) });
  if (!body.success) return err(`${user}: event ${String(attributes['version'])} is not a user event of this format`);
  if (body.data.type !== 'UserRegistered') return ok(true);
  const hash = checkStoredHash(body.data.payload.password, bound);
  return hash.ok ? ok(true) : err(`${user}: password hash refused: ${hash.error}`);
}

/** A blob as the export's FileAdded events declare it: the bytes an import takes from `--blobs` must be these. */
export interface DeclaredBlob {
  readonly key: string;
  readonly sha256: Sha256Hex;
  readonly size: number;
  readonly contentType: string;
}

const fileAddedSchema = z.object({ blobKey: z.string(), sha256: z.string(), size: z.number().int().nonnegative(), contentType: z.string() });

/**
 * The blob a FileAdded event declares (undefined for other events), stored under the content key
 * of its SHA-256 as every upload is: a key naming other bytes would serve them under this digest.
 */
function declaredBlobOf(attributes: Record<string, unknown>): Result<DeclaredBlob | undefined, string> {
  if (attributes['eventType'] !== 'FileAdded') return ok(undefined);
  const event = `artifact event ${String(attributes['streamId'])}@${String(attributes['version'])}`;
  const payload = fileAddedSchema.safeParse(jsonOf(attributes['payload']));
  if (!payload.success) return err(`${event}: not a FileAdded of this format`);
  const sha256 = parseSha256(payload.data.sha256);
  if (!sha256.ok || sha256.value !== payload.data.sha256) return err(`${event}: sha256 is not 64 lowercase hex digits`);
  if (payload.data.blobKey !== blobKeyFor(sha256.value)) return err(`${event}: blob key ${payload.data.blobKey} is not the content key of its sha256 ${sha256.value}`);
  // Only the stored object's metadata: a mirrored file keeps whatever type the Hub sent.
  const contentType = parseContentType(payload.data.contentType);
  return ok({ key: payload.data.blobKey, sha256: sha256.value, size: payload.data.size, contentType: contentType.ok ? contentType.value : 'application/octet-stream' });
}

/**
 * What an import checks of each item of its file before writing it: an export file is whatever its
 * bearer made of it, and an item written is served as if the registry had made it. Checks the items
 * in turn, collecting the blobs they declare (a blob declared twice must be declared alike).
 */
export class ItemChecks {
  private readonly declared = new Map<string, DeclaredBlob>();

  constructor(private readonly scrypt: ScryptCost) {}

  /** Every blob declared so far, by key. */
  get blobs(): ReadonlyMap<string, DeclaredBlob> {
    return this.declared;
  }

  check(item: PortableItem): Result<true, string> {
    if (item.entity === 'userEvent') return checkUserEvent(item.attributes, this.scrypt);
    if (item.entity !== 'artifactEvent') return ok(true);
    const blob = declaredBlobOf(item.attributes);
    if (!blob.ok) return blob;
    if (!blob.value) return ok(true);
    const earlier = this.declared.get(blob.value.key);
    if (earlier && earlier.size !== blob.value.size) return err(`blob ${blob.value.key} is declared with ${blob.value.size} bytes here and ${earlier.size} before`);
    if (!earlier) this.declared.set(blob.value.key, blob.value);
    return ok(true);
  }
}
