import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may send (SECURITY.md, "Webhooks"). `allowed`: a public address. `private`:
 * loopback and private ranges, admitted only with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (tests,
 * intranets). `forbidden`: link-local (cloud metadata lives there), metadata, unspecified,
 * multicast and reserved addresses, never admitted.
 */
export type AddressClass = 'allowed' | 'private' | 'forbidden';

const forbidden = new BlockList();
forbidden.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network"; 0.0.0.0 reaches the local host
forbidden.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, incl. 169.254.169.254 (AWS, GCP, Azure metadata)
forbidden.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
forbidden.addSubnet('192.0.0.0', 24, 'ipv4'); // IETF protocol assignments (Oracle metadata 192.0.0.192)
forbidden.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
forbidden.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved, broadcast
forbidden.addAddress('::', 'ipv6');
forbidden.addSubnet('fe80::', 10, 'ipv6'); // link-local
forbidden.addAddress('fd00:ec2::254', 'ipv6'); // AWS IPv6 metadata (inside the private fc00::/7)
forbidden.addSubnet('ff00::', 8, 'ipv6'); // multicast

const privateRanges = new BlockList();
privateRanges.addSubnet('127.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
privateRanges.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
privateRanges.addSubnet('198.18.0.0', 15, 'ipv4'); // benchmarking, used inside networks
privateRanges.addAddress('::1', 'ipv6');
privateRanges.addSubnet('fc00::', 7, 'ipv6'); // unique local

/** `::ffff:10.0.0.1` and `::ffff:a00:1` reach IPv4 hosts: they are judged as the IPv4 address they carry. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** The class of an IP address; anything that is not an IP address is forbidden. */
export function classifyAddress(raw: string): AddressClass {
  const address = raw.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // brackets of a URL host, an IPv6 zone id
  const family = isIP(address);
  if (family === 0) return 'forbidden';
  const v4 = family === 6 ? embeddedIpv4(address) : address;
  const [checked, type] = v4 !== undefined && isIP(v4) === 4 ? [v4, 'ipv4' as const] : [address, 'ipv6' as const];
  if (forbidden.check(checked, type)) return 'forbidden';
  if (privateRanges.check(checked, type)) return 'private';
  return 'allowed';
}

/** Whether a webhook may connect to the address under the current configuration. */
export const addressAdmitted = (address: string, allowPrivateNetworks: boolean): boolean => {
  const verdict = classifyAddress(address);
  return verdict === 'allowed' || (verdict === 'private' && allowPrivateNetworks);
};
