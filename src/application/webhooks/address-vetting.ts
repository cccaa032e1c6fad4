import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { appError, err, ok, type Result } from '../../domain/result.js';
import { addressAdmitted, classifyAddress } from '../../domain/webhooks/address-rules.js';

/** Every address a name resolves to (dns.lookup with `all`, as the OS resolves it for connections). */
export type ResolveAll = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export const systemResolve: ResolveAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The address a delivery connects to: vetted once, then pinned so a second resolution cannot move it. */
export interface VettedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

const describe = (address: string, allowPrivate: boolean): string =>
  classifyAddress(address) === 'private' && !allowPrivate
    ? `${address} is a loopback or private address (set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow it)`
    : `${address} is a link-local, metadata or reserved address, never allowed`;

/**
 * Resolves a webhook URL's host and admits it only when every address it resolves to is admitted:
 * a name with one public and one internal address is refused, whichever the OS would pick.
 */
export async function vetAddress(url: URL, allowPrivate: boolean, resolve: ResolveAll): Promise<Result<VettedAddress>> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  let addresses: readonly { address: string; family: number }[];
  if (literal !== 0) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      return err(appError('BAD_USER_INPUT', `webhook host ${host} does not resolve (${error instanceof Error && 'code' in error ? String(error.code) : 'lookup failed'})`));
    }
  }
  if (addresses.length === 0) return err(appError('BAD_USER_INPUT', `webhook host ${host} resolves to no address`));
  const refused = addresses.find(({ address }) => !addressAdmitted(address, allowPrivate));
  if (refused) return err(appError('BAD_USER_INPUT', `webhook URL refused: ${host} resolves to ${describe(refused.address, allowPrivate)}`));
  const first = addresses[0]!;
  return ok({ address: first.address, family: first.family === 6 ? 6 : 4 });
}
