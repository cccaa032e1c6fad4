/**
 * The address of the client that opened the connection, from what the HTTP layer hands yoga:
 * node's request (its socket's peer) under `npm start`, the API Gateway event on Lambda (its
 * `sourceIp`, which API Gateway sets from the connection, not from headers). X-Forwarded-For is
 * never read: any client can write it. Undefined when neither is there.
 */
export function clientAddressOf(serverContext: Readonly<Record<string, unknown>>): string | undefined {
  return socketAddress(serverContext['req']) ?? lambdaSourceIp(serverContext['lambdaEvent']);
}

function socketAddress(req: unknown): string | undefined {
  if (!isRecord(req) || !isRecord(req['socket'])) return undefined;
  return nonEmptyString(req['socket']['remoteAddress']);
}

function lambdaSourceIp(event: unknown): string | undefined {
  if (!isRecord(event) || !isRecord(event['requestContext'])) return undefined;
  const http = event['requestContext']['http'];
  return isRecord(http) ? nonEmptyString(http['sourceIp']) : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
