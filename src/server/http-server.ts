import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { RegistryApp } from './app.js';

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `listener` on host:port until closed; `url` is where GraphQL answers. */
export async function serveRequests(listener: RequestListener, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const server: Server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${address.port}/graphql`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * The app on node's HTTP server (`npm start`, tests, benchmarks). The global Request and Response
 * stay node's own (overrideGlobalObjects: false): the AWS SDK and the upstream clients use them too.
 */
export function serveApp(app: RegistryApp, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  return serveRequests(getRequestListener(app.fetch, { overrideGlobalObjects: false }), port, host);
}
