import { describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createEntities } from '../../src/store/entities.js';
import { CURRENT_SCHEMA_VERSION } from '../../src/store/upcasters.js';

/**
 * Artifact and user events share one entity shape (src/store/event-stream.ts). Items written
 * before the streams shared it must key and read exactly as before: these are the keys and
 * attributes the per-stream entities produced.
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
const row = { eventType: 'E', at: '2026-01-01T00:00:00.000Z', actor: 'someone', payload: '{}' };

describe('stream event items keep their stored layout', () => {
  it('artifact events: lower-cased id in the key, `artifactId` attribute, padded version', () => {
    for (const [epoch, prefix] of [[0, '$registry#'], [3, '$registry-e3#']] as const) {
      const { Item } = createEntities(doc, 't', epoch).artifactEvent.create({ streamId: '01JDQ3ZK9M8X', version: 42, ...row }).params<{ Item: Record<string, unknown> }>();
      expect(Item).toEqual({
        pk: `${prefix}artifactid_01jdq3zk9m8x`,
        sk: '$artifactevent_1#version_0000000042',
        artifactId: '01JDQ3ZK9M8X',
        version: 42,
        ...row,
        schemaVersion: CURRENT_SCHEMA_VERSION,
        __edb_e__: 'artifactEvent',
        __edb_v__: '1',
      });
    }
  });

  it('user events: the username as written in the key, `username` attribute', () => {
    const { Item } = createEntities(doc, 't', 0).userEvent.create({ streamId: 'Some.User', version: 1, ...row }).params<{ Item: Record<string, unknown> }>();
    expect(Item).toMatchObject({ pk: '$registry#username_Some.User', sk: '$userevent_1#version_0000000001', username: 'Some.User', __edb_e__: 'userEvent', __edb_v__: '1' });
    expect(Item).not.toHaveProperty('streamId');
  });

  it('reads an item stored under the old attribute name back as its stream id', () => {
    const parsed = createEntities(doc, 't', 0).userEvent.parse({
      Item: { pk: '$registry#username_ann', sk: '$userevent_1#version_0000000002', username: 'ann', version: 2, ...row, __edb_e__: 'userEvent', __edb_v__: '1' },
    });
    expect(parsed.data).toMatchObject({ streamId: 'ann', version: 2 });
  });
});
