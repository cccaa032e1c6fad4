import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the HTTP adapters hand the app beside the request: node's request and response under
 * `npm start` (@hono/node-server), the API Gateway event and Lambda context on AWS (hono/aws-lambda).
 */
export interface AppEnv {
  Bindings: {
    readonly incoming?: IncomingMessage;
    readonly outgoing?: ServerResponse;
    readonly event?: unknown;
    readonly lambdaContext?: unknown;
  };
  Variables: {
    /**
     * The most body bytes this request may send (REST: set by its body limit, read while parsing):
     * the anonymous cap until the request's token is verified, then `verifiedBodyLimit`.
     */
    bodyLimit: number;
    verifiedBodyLimit: number;
  };
}

/** The adapter's bindings as the server context yoga and clientAddressOf read (`req`, `lambdaEvent`). */
export const serverContextOf = (env: AppEnv['Bindings'] | undefined): Record<string, unknown> => ({
  ...(env?.incoming && { req: env.incoming }),
  ...(env?.event !== undefined && { lambdaEvent: env.event, lambdaContext: env.lambdaContext }),
});
