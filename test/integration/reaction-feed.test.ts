import { describe, expect, it, onTestFinished } from 'vitest';
import { TEST_SCRYPT, useTestRegistry } from '../support/registry-harness.js';
import { createRegistry } from '../../src/registry.js';
import { SYSTEM_ACTOR } from '../../src/domain/ids.js';
import { FeedReplay } from '../../src/application/reactions/feed-replay.js';
import type { CommittedChange, Reactor } from '../../src/application/reactions/reactor.js';
import { FEED_SHARDS, shardOf } from '../../src/store/change-feed.js';
import type { RegistryStore } from '../../src/application/registry-store.js';

/** The change feed over dynalite: one item per commit, replayed from per-reactor checkpoints. */
const t = useTestRegistry();
/** Every item is settled for a replay whose clock runs a minute ahead. */
const ahead = { now: () => new Date(Date.now() + 60_000) };
const OPTIONS = { settleMs: 5_000, batchSize: 100, maxAttempts: 3 };

/** A second registry over the same table: a process that remembers nothing, as after a restart. */
async function restarted(): Promise<RegistryStore> {
  const other = await createRegistry(
    { region: 'us-east-1', tableName: t.registry.config.tableName, bucketName: t.registry.config.bucketName, dynamodbEndpoint: t.storage.dynamodbEndpoint, s3Endpoint: t.storage.s3Endpoint, emulated: true },
    { scrypt: TEST_SCRYPT },
  );
  onTestFinished(() => other.destroy());
  return other.scope(0).store;
}

function recording(name: string, seen: string[], failFirst = 0): Reactor {
  let failures = 0;
  return {
    name,
    handles: 'every event',
    async react({ event, state }: CommittedChange) {
      if (failures < failFirst) {
        failures += 1;
        throw new Error('not yet');
      }
      seen.push(`${event.artifactId} v${event.version} ${event.type} ${state?.name ?? '-'}`);
    },
  };
}

async function code(url: string) {
  const { commands } = await t.scope();
  const ingested = await commands.ingest({ type: 'CODE', url }, SYSTEM_ACTOR);
  if (!ingested.ok) throw new Error(ingested.error.message);
  const renamed = await commands.update({ id: ingested.value.id, type: 'CODE', expectedVersion: 1, name: 'renamed' }, SYSTEM_ACTOR);
  if (!renamed.ok) throw new Error(renamed.error.message);
  return ingested.value.id;
}

describe('the change feed', () => {
  it('holds one item per commit, on the artifact\'s shard, and the committing process does not replay what it ran inline', async () => {
    const id = await code('https://gitlab.com/feed/one');
    const { store } = await t.scope();
    const items = (await Promise.all(Array.from({ length: FEED_SHARDS }, (_, shard) => store.feed.read(shard, undefined, 100)))).flat().filter((item) => item.artifactId === id);
    expect(items.map((item) => [item.version, item.eventType, item.shard])).toEqual([
      [1, 'ArtifactRegistered', shardOf(id)],
      [2, 'ArtifactUpdated', shardOf(id)],
    ]);
    expect(await new FeedReplay(store, ahead, OPTIONS).catchUp()).toEqual({ replayed: 0, failed: 0 });
  });

  it('replays each reaction after a restart once, with the state right after its event, and checkpoints it', async () => {
    const id = await code('https://gitlab.com/feed/two');
    const store = await restarted();
    const seen: string[] = [];
    store.reactions.use(0, [recording('audit', seen)]);
    const replay = new FeedReplay(store, ahead, OPTIONS);
    const first = await replay.catchUp();
    expect(first.replayed).toBeGreaterThanOrEqual(2);
    expect(seen.filter((line) => line.startsWith(id))).toEqual([`${id} v1 ArtifactRegistered two`, `${id} v2 ArtifactUpdated renamed`]);
    expect((await store.feed.checkpoints()).get('audit')?.get(shardOf(id))).toMatch(new RegExp(`#${id}#0000000002$`));
    // The checkpoints stand: nothing again, in this process or the next.
    expect(await replay.catchUp()).toEqual({ replayed: 0, failed: 0 });
    const next = await restarted();
    next.reactions.use(0, [recording('audit', seen)]);
    expect(await new FeedReplay(next, ahead, OPTIONS).catchUp()).toEqual({ replayed: 0, failed: 0 });
  });

  it('leaves items younger than the settling time for a later pass', async () => {
    const id = await code('https://gitlab.com/feed/young');
    const store = await restarted();
    const seen: string[] = [];
    store.reactions.use(0, [recording('young', seen)]);
    await new FeedReplay(store, { now: () => new Date() }, { ...OPTIONS, settleMs: 60_000 }).catchUp();
    expect(seen.filter((line) => line.startsWith(id))).toEqual([]);
    await new FeedReplay(store, ahead, OPTIONS).catchUp();
    expect(seen.filter((line) => line.startsWith(id))).toHaveLength(2);
  });

  it('retries a failing reaction on the next pass without passing it, and gives it up after its attempts', async () => {
    await code('https://gitlab.com/feed/three');
    const store = await restarted();
    const seen: string[] = [];
    const lines: string[] = [];
    store.reactions.use(0, [recording('flaky', seen, 1)]);
    const replay = new FeedReplay(store, ahead, OPTIONS, (line) => lines.push(line));
    const first = await replay.catchUp();
    expect(first.failed).toBe(1);
    const second = await replay.catchUp();
    expect(second.failed).toBe(0);
    expect(second.replayed).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/replay: flaky on .* failed \(attempt 1\), retried on the next pass/);

    const broken = await restarted();
    broken.reactions.use(0, [{ name: 'broken', handles: ['ArtifactUpdated'], react: () => Promise.reject(new Error('always')) }]);
    const giving = new FeedReplay(broken, ahead, OPTIONS, (line) => lines.push(line));
    for (let pass = 0; pass < 20 && (await giving.catchUp()).failed > 0; pass++);
    expect(lines.join('\n')).toMatch(/replay: broken on ArtifactUpdated of .* given up after 3 attempts/);
    expect(await giving.catchUp()).toEqual({ replayed: 0, failed: 0 });
  });
});
