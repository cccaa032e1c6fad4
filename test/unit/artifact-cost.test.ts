import { describe, expect, it } from 'vitest';
import { artifactCost } from '../../src/application/artifact-cost.js';
import type { ArtifactState } from '../../src/domain/artifact-state.js';
import type { ArtifactLink, LinkKind } from '../../src/domain/artifact-links.js';
import type { ArtifactId } from '../../src/domain/ids.js';
import type { ArtifactName } from '../../src/domain/artifact-name.js';
import type { NormalizedUrl } from '../../src/domain/artifact-url.js';

const id = (name: string) => name as ArtifactId;
const link = (kind: LinkKind, target: string): ArtifactLink => ({ kind, targetId: id(target), relationship: 'r', source: 'card', reference: target });

function artifact(name: string, sizeBytes: number, links: ArtifactLink[] = []): ArtifactState {
  return {
    id: id(name),
    type: 'CODE',
    name: name as ArtifactName,
    url: `https://github.com/o/${name}` as NormalizedUrl,
    version: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    deleted: false,
    metadata: { source: 'github', fullName: `o/${name}`, stars: 0, forks: 0, archived: false, sizeBytes, readme: { status: 'absent' } },
    links,
    files: [],
    mirrorStatus: null,
  };
}

/**
 *        D (8 GB)
 *       / \
 *  B (3 GB) C (5 GB)      E: dataset (2^40 bytes), linked by A and by B
 *       \ /
 *        A (1 GB)
 */
const GB = 2 ** 30;
const graph = new Map<string, ArtifactState>([
  ['A', artifact('A', GB, [link('parent', 'B'), link('parent', 'C'), link('dataset', 'E')])],
  ['B', artifact('B', 3 * GB, [link('parent', 'D'), link('dataset', 'E')])],
  ['C', artifact('C', 5 * GB, [link('parent', 'D')])],
  ['D', artifact('D', 8 * GB, [link('parent', 'A')])], // a cycle back to A: must not loop or double count
  ['E', artifact('E', 2 ** 40)],
]);

describe('cost', () => {
  it('counts shared dependencies of a diamond once, past 32-bit sizes, and survives a cycle', async () => {
    const batches: string[][] = [];
    const load = async (ids: readonly ArtifactId[]) => {
      batches.push([...ids]);
      return ids.map((i) => graph.get(i));
    };
    const alone = await artifactCost(graph.get('A')!, false, load);
    expect(alone).toMatchObject({ standaloneBytes: GB, totalBytes: GB });
    expect(alone.items.map((i) => i.artifact.id)).toEqual(['A']);
    expect(batches).toEqual([]);

    const all = await artifactCost(graph.get('A')!, true, load);
    expect(all.standaloneBytes).toBe(GB);
    expect(all.totalBytes).toBe((1 + 3 + 5 + 8) * GB + 2 ** 40);
    expect(all.items.map((i) => i.artifact.id)).toEqual(['A', 'B', 'C', 'E', 'D']);
    // One load per level: {B, C, E}, then {D}; A (through the cycle) is never loaded again.
    expect(batches).toEqual([['B', 'C', 'E'], ['D']]);
  });
});
