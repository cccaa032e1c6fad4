import type { GlobalEntities } from './entities.js';
import { conditionHeld } from './conditional-check.js';

/** Which generation of registry data is current. Absent means epoch 0. */
export class RegistryEpochStore {
  constructor(private readonly entities: GlobalEntities) {}

  async current(): Promise<number> {
    const { data } = await this.entities.registryEpoch.get({ name: 'current' }).go({ consistent: true });
    return data?.epoch ?? 0;
  }

  /** Moves from `from` to `from + 1`; false when someone else moved it first. */
  async advance(from: number, now: string): Promise<boolean> {
    return conditionHeld(
      this.entities.registryEpoch
        .put({ name: 'current', epoch: from + 1, changedAt: now })
        .where((attr, op) => (from === 0 ? op.notExists(attr.epoch) : op.eq(attr.epoch, from)))
        .go({ response: 'none' }),
    );
  }
}
