import { parseAliasLabel, type AliasKey, type AliasMove } from '../domain/aliases.js';
import { parseNameSearch } from '../domain/artifact-name.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import type { ArtifactType } from '../domain/artifact-type.js';
import { newUlid, type ActorId, type ArtifactId } from '../domain/ids.js';
import type { RecordId } from '../domain/history.js';
import { artifactGlobalId, type ArtifactRef } from '../domain/global-id.js';
import { ingestGate } from '../domain/rating/ingest-gate.js';
import { appError, err, ok, type Result } from '../domain/result.js';
import { backoff, type RetryPolicy } from '../store/backoff.js';
import { normalizeName } from '../domain/artifact-name.js';
import type { Clock } from './clock.js';
import type { RegistryStore } from './registry-store.js';

export interface SetAliasInput {
  readonly name: string;
  readonly alias: string;
  readonly artifactId: ArtifactId;
  /** The type the caller names the artifact by: another type's id names nothing. */
  readonly artifactType: ArtifactType;
}

/** Moves of one alias race through its stream's conditional put; a loser re-reads and moves again. */
export const ALIAS_RETRIES: RetryPolicy = { attempts: 8, baseDelayMs: 10, maxDelayMs: 200 };

/**
 * Aliases (`production` under the name `bert-base`): a versioned stream per alias, each move an
 * event (who, from, to). A move is also copied into the history of the artifacts it concerns, as
 * an audit record after the commit (the alias stream stays the record of truth).
 */
export class AliasCommands {
  constructor(
    private readonly store: RegistryStore,
    private readonly clock: Clock,
    private readonly retries: RetryPolicy = ALIAS_RETRIES,
  ) {}

  /**
   * Points the alias at the artifact. Refused: an artifact absent or deleted (NOT_FOUND), one whose
   * name is not the alias's (BAD_USER_INPUT), a model the ingest gate refused or whose stored
   * rating does not pass it, or that holds none (DISQUALIFIED). Setting it where it already points changes nothing.
   */
  async set(input: SetAliasInput, actor: ActorId): Promise<Result<{ readonly move: AliasMove | undefined; readonly target: ArtifactState }>> {
    const key = parseKey(input.name, input.alias);
    if (!key.ok) return key;
    const target = await this.store.loadCurrent(input.artifactId);
    if (!target) {
      const [first] = await this.store.events.readStream(input.artifactId);
      if (first?.type === 'IngestRefused') return err(appError('DISQUALIFIED', 'an alias cannot name a model the ingest gate refused', { field: 'artifactId' }));
      return err(appError('NOT_FOUND', 'no artifact with this id (absent or deleted)', { field: 'artifactId' }));
    }
    if (target.deleted || target.type !== input.artifactType) return err(appError('NOT_FOUND', 'no artifact with this id (absent or deleted)', { field: 'artifactId' }));
    if (normalizeName(target.name) !== key.value.name) {
      return err(appError('BAD_USER_INPUT', `artifact ${artifactGlobalId(target)} is named "${target.name}", not "${input.name}": an alias names one of the artifacts of its name`, { field: 'name' }));
    }
    // Models registered before every model had to be rated may hold none: no alias names them either.
    if (target.type === 'MODEL' && !(target.rating && ingestGate(target.rating).passed)) {
      const why = target.rating ? 'stored rating does not pass the ingest gate' : 'has no rating (its source is not one the registry can rate)';
      return err(appError('DISQUALIFIED', `artifact ${artifactGlobalId(target)}'s ${why}`, { field: 'artifactId' }));
    }
    const moved = await this.move(key.value, { id: target.id, type: target.type }, actor);
    return moved.ok ? ok({ move: moved.value, target }) : moved;
  }

  /** Unsets the alias; NOT_FOUND when it names nothing. */
  async remove(name: string, alias: string, actor: ActorId): Promise<Result<AliasMove>> {
    const key = parseKey(name, alias);
    if (!key.ok) return key;
    const moved = await this.move(key.value, null, actor);
    if (!moved.ok) return moved;
    return moved.value ? ok(moved.value) : err(appError('NOT_FOUND', `no alias "${alias}" under the name "${name}"`, { field: 'alias' }));
  }

  /** Where the alias points now (undefined: unset or never set). */
  async target(name: string, alias: string): Promise<Result<ArtifactId | undefined>> {
    const key = parseKey(name, alias);
    if (!key.ok) return key;
    return ok((await this.store.aliases.latest(key.value))?.to?.id);
  }

  /** Commits `to` as the alias's next move; undefined when it points there already. */
  private async move(key: AliasKey, to: ArtifactRef | null, actor: ActorId): Promise<Result<AliasMove | undefined>> {
    for (let attempt = 1; ; attempt++) {
      const last = await this.store.aliases.latest(key);
      const from = last?.to ?? null;
      if (from?.id === to?.id) return ok(undefined);
      const move: AliasMove = { ...key, version: (last?.version ?? 0) + 1, at: this.clock.now().toISOString(), actor, from, to };
      if (await this.store.aliases.append(move)) {
        await this.recordInHistories(move);
        return ok(move);
      }
      if (attempt >= this.retries.attempts) return err(appError('CONFLICT', `the alias "${key.alias}" is being moved by other requests; retry`, { field: 'alias' }));
      await backoff(this.retries, attempt);
    }
  }

  private async recordInHistories(move: AliasMove): Promise<void> {
    const concerned = [move.from, move.to].filter((ref): ref is ArtifactRef => ref !== null);
    await Promise.all(
      concerned.map((ref) =>
        this.store.audit.add({
          type: 'AliasMoved',
          payload: { name: move.name, alias: move.alias, from: move.from, to: move.to },
          artifactId: ref.id,
          recordId: newUlid(Date.parse(move.at)) as RecordId,
          version: move.version,
          at: move.at,
          actor: move.actor,
        }),
      ),
    );
  }
}

function parseKey(rawName: string, rawAlias: string): Result<AliasKey> {
  if (rawName.trim().length === 0) return err(appError('BAD_USER_INPUT', 'name must not be empty', { field: 'name' }));
  const name = parseNameSearch(rawName, 'name');
  if (!name.ok) return name;
  const alias = parseAliasLabel(rawAlias);
  if (!alias.ok) return alias;
  return ok({ name: name.value, alias: alias.value });
}
