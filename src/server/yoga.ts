import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError } from 'graphql';
import { ArtifactQueries } from '../application/artifact-queries.js';
import { ANONYMOUS_ACTOR } from '../domain/ids.js';
import { schema } from '../graphql/schema.js';
import type { GraphQLContext } from '../graphql/context.js';
import type { Registry } from '../registry.js';

export type RegistryYoga = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

export interface YogaOptions {
  /** Log unexpected errors here (they reach clients only as INTERNAL_SERVER_ERROR). */
  readonly logError?: (error: unknown) => void;
}

export function createRegistryYoga(registry: Registry, options: YogaOptions = {}): RegistryYoga {
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // The bundled GraphiQL serves its scripts and styles from this process: no CDN, works offline.
    renderGraphiQL,
    graphiql: { title: 'Trustworthy Model Registry', defaultQuery: '{ health { status version } }' },
    context: () => ({ registry, queries: new ArtifactQueries(registry.store), actor: ANONYMOUS_ACTOR }),
    maskedErrors: {
      maskError: (error) => {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
        logError(original ?? error);
        return new GraphQLError('Internal server error', {
          ...(error instanceof GraphQLError && { nodes: error.nodes, path: error.path }),
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
      },
    },
  });
}

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

export async function listen(yoga: RegistryYoga, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const server = createServer(yoga);
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
