import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/domain/webhooks/address-rules.js';
import { vetAddress } from '../../src/application/webhooks/address-vetting.js';
import { SecretBox } from '../../src/application/webhooks/secret-box.js';
import { randomBytes } from 'node:crypto';

const resolveTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook address rules', () => {
  it.each([
    ['93.184.215.14', 'allowed'],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', 'allowed'],
    ['127.0.0.1', 'private'],
    ['10.1.2.3', 'private'],
    ['172.31.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['::1', 'private'],
    ['fd12::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:7f00:1', 'private'],
    ['169.254.169.254', 'forbidden'],
    ['::ffff:169.254.169.254', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['fe80::1%eth0', 'forbidden'],
    ['fd00:ec2::254', 'forbidden'],
    ['100.100.100.200', 'forbidden'],
    ['0.0.0.0', 'forbidden'],
    ['::', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['not-an-ip', 'forbidden'],
  ])('%s is %s', (address, verdict) => expect(classifyAddress(address)).toBe(verdict));

  it('refuse loopback and private addresses without WEBHOOK_ALLOW_PRIVATE_NETWORKS, literal or resolved', async () => {
    for (const url of ['http://10.0.0.5/hook', 'http://[::1]/hook', 'http://127.0.0.1:8080/']) {
      const vetted = await vetAddress(new URL(url), false, resolveTo());
      expect(vetted.ok, url).toBe(false);
      expect(!vetted.ok && vetted.error.message).toMatch(/WEBHOOK_ALLOW_PRIVATE_NETWORKS/);
    }
    expect((await vetAddress(new URL('http://localhost/'), false, resolveTo('127.0.0.1', '::1'))).ok).toBe(false);
    // One internal address among public ones is enough to refuse: the OS might pick it.
    expect((await vetAddress(new URL('https://mixed.example/'), true, resolveTo('93.184.215.14', '169.254.169.254'))).ok).toBe(false);
    expect(await vetAddress(new URL('https://hooks.example/'), false, resolveTo('93.184.215.14'))).toEqual({ ok: true, value: { address: '93.184.215.14', family: 4 } });
    expect((await vetAddress(new URL('http://10.0.0.5/hook'), true, resolveTo())).ok).toBe(true);
  });
});

describe('webhook secret sealing', () => {
  it('opens only with the same key and webhook id', () => {
    const key = randomBytes(32);
    const sealed = new SecretBox(key).seal('W1', 'whsec-top-secret');
    expect(sealed).not.toContain('whsec-top-secret');
    expect(new SecretBox(key).open('W1', sealed)).toBe('whsec-top-secret');
    expect(new SecretBox(key).open('W2', sealed)).toBeUndefined();
    expect(new SecretBox(randomBytes(32)).open('W1', sealed)).toBeUndefined();
  });
});
