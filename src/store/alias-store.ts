import type { ActorId, ArtifactId } from '../domain/ids.js';
import type { AliasKey, AliasMove } from '../domain/aliases.js';
import { isArtifactType } from '../domain/artifact-type.js';
import type { ArtifactRef } from '../domain/global-id.js';
import type { Entities } from './entities.js';
import { conditionHeld } from './conditional-check.js';

interface StoredMove {
  aliasName: string;
  alias: string;
  version: number;
  at: string;
  actor: string;
  fromId?: string | undefined;
  fromType?: string | undefined;
  toId?: string | undefined;
  toType?: string | undefined;
}

const refOf = (id: string | undefined, type: string | undefined): ArtifactRef | null =>
  id !== undefined && type !== undefined && isArtifactType(type) ? { id: id as ArtifactId, type } : null;

const fromItem = (key: AliasKey, item: StoredMove): AliasMove => ({
  ...key,
  version: item.version,
  at: item.at,
  actor: item.actor as ActorId,
  from: refOf(item.fromId, item.fromType),
  to: refOf(item.toId, item.toType),
});

/** Alias streams: the last move says where an alias points; appending the next version commits a move. */
export class AliasStore {
  constructor(private readonly entities: Entities) {}

  /** The alias's last move (undefined: never set). Consistent: it decides the next move. One Query. */
  async latest(key: AliasKey): Promise<AliasMove | undefined> {
    const { data } = await this.entities.aliasEvent.query
      .stream({ aliasName: key.name, alias: key.alias })
      .go({ order: 'desc', limit: 1, count: 1, consistent: true });
    return data[0] && fromItem(key, data[0]);
  }

  /** Every move, oldest first (read-only). */
  async moves(key: AliasKey): Promise<AliasMove[]> {
    const { data } = await this.entities.aliasEvent.query.stream({ aliasName: key.name, alias: key.alias }).go({ pages: 'all' });
    return data.map((item) => fromItem(key, item));
  }

  /** False when another move took this version first. */
  append(move: AliasMove): Promise<boolean> {
    const { name, alias, version, at, actor, from, to } = move;
    return conditionHeld(
      this.entities.aliasEvent
        .create({
          aliasName: name,
          alias,
          version,
          at,
          actor,
          ...(from && { fromId: from.id, fromType: from.type }),
          ...(to && { toId: to.id, toType: to.type }),
        })
        .go({ response: 'none' }),
    );
  }
}
