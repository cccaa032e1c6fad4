import type { ArtifactId } from '../domain/ids.js';
import type { StreamVersion } from '../domain/artifact-events.js';
import type { Entities } from './entities.js';
import { conditionHeld } from './conditional-check.js';
import { untilProcessed } from './batch.js';

/** README text per artifact, in the `artifactDetail` item beside the projection. */
export class ArtifactDetailStore {
  constructor(private readonly entities: Entities) {}

  /** Writes unless a README from the same or a later event is stored, like projection writes. */
  async save(artifactId: ArtifactId, version: StreamVersion, readme: string): Promise<'written' | 'already-newer'> {
    const written = await conditionHeld(
      this.entities.artifactDetail
        .put({ artifactId, version, readme })
        .where((attr, op) => `${op.notExists(attr.version)} OR ${op.lt(attr.version, version)}`)
        .go({ response: 'none' }),
    );
    return written ? 'written' : 'already-newer';
  }

  /** One BatchGetItem for the READMEs of up to 100 artifacts; order follows `ids`. */
  async readmes(ids: readonly ArtifactId[], options: { readonly consistent?: boolean } = {}): Promise<(string | undefined)[]> {
    if (ids.length === 0) return [];
    const found = new Map<string, string>();
    await untilProcessed(ids.map((artifactId) => ({ artifactId: artifactId as string })), async (keys) => {
      const { data, unprocessed } = await this.entities.artifactDetail.get([...keys]).go({ consistent: options.consistent ?? false });
      for (const item of data) found.set(item.artifactId, item.readme);
      return unprocessed.map((key) => ({ artifactId: String(key.artifactId) }));
    }, 'readme batch get');
    return ids.map((id) => found.get(id));
  }
}
