import { describe, expect, it } from 'vitest';
import { clientAddressOf } from '../../src/server/client-address.js';

describe('clientAddressOf', () => {
  it("takes node's socket peer, and API Gateway's sourceIp on Lambda", () => {
    expect(clientAddressOf({ req: { socket: { remoteAddress: '::ffff:10.1.2.3' } } })).toBe('::ffff:10.1.2.3');
    expect(clientAddressOf({ lambdaEvent: { requestContext: { http: { sourceIp: '198.51.100.4' } } } })).toBe('198.51.100.4');
  });

  it('is undefined when the HTTP layer says nothing usable (and never reads headers)', () => {
    expect(clientAddressOf({})).toBeUndefined();
    expect(clientAddressOf({ req: { socket: { remoteAddress: '' } }, headers: { 'x-forwarded-for': '203.0.113.1' } })).toBeUndefined();
    expect(clientAddressOf({ lambdaEvent: { requestContext: { http: { sourceIp: 42 } } } })).toBeUndefined();
  });
});
