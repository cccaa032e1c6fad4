import { describe, expect, it } from 'vitest';
import { cutAt } from '../../src/application/export-cut.js';
import type { PortableItem } from '../../src/store/portable-items.js';

const CUT = '2026-12-01T12:00:00.000Z';
const before = '2026-12-01T11:59:59.999Z';
const after = '2026-12-01T12:00:00.001Z';
const event = (streamId: string, version: number, at: string): PortableItem => ({ entity: 'artifactEvent', attributes: { streamId, version, at, eventType: 'X', actor: 'a', payload: '{}' } });

describe('the cut of an export', () => {
  it('keeps what was stamped at or before the cut, and records without a time', () => {
    const kept = cutAt(CUT);
    expect(kept(event('a', 1, before))).toBe(true);
    expect(kept(event('a', 2, CUT))).toBe(true);
    expect(kept(event('a', 3, after))).toBe(false);
    expect(kept({ entity: 'auditRecord', attributes: { at: after } })).toBe(false);
    expect(kept({ entity: 'blobReference', attributes: { addedAt: before } })).toBe(true);
    expect(kept({ entity: 'pendingReference', attributes: { referenceKey: 'k' } })).toBe(true);
  });

  it('keeps of a stream only the prefix before its first event past the cut, whatever clock skew stamped later', () => {
    const kept = cutAt(CUT);
    // v2 was stamped on a clock running behind v1's writer: it must not outlive v1.
    expect([event('s', 1, after), event('s', 2, before), event('s', 3, before)].map(kept)).toEqual([false, false, false]);
    expect([event('t', 1, before), event('t', 2, after), event('t', 3, before)].map(kept)).toEqual([true, false, false]);
    // Other streams, interleaved or not, are judged on their own.
    expect(kept(event('u', 1, before))).toBe(true);
    expect(kept({ entity: 'aliasEvent', attributes: { aliasName: 'n', alias: 'prod', version: 1, at: after } })).toBe(false);
    expect(kept({ entity: 'aliasEvent', attributes: { aliasName: 'n', alias: 'prod', version: 2, at: before } })).toBe(false);
    expect(kept({ entity: 'aliasEvent', attributes: { aliasName: 'n', alias: 'staging', version: 1, at: before } })).toBe(true);
  });
});
