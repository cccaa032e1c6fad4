import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import type { AppEnv } from '../server/app-env.js';
import { createLambdaApp, type LambdaApp } from './lambda-app.js';
import { isBinary } from './binary-bodies.js';

export type HttpApiHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyStructuredResultV2>;

type AdapterHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<unknown>;

/**
 * A handler that builds its app on the first invocation and reuses it while the container lives:
 * a cold start pays for SSM and client setup once, warm invocations reuse the same SDK clients
 * (and their kept-alive connections). A failed setup is not cached, so a transient SSM error
 * costs one request, not the container. Events become Fetch requests and responses become results
 * through Hono's API Gateway adapter (payload 2.0: cookies, base64 bodies, set-cookie).
 */
export function createHandler(setup: () => Promise<Pick<LambdaApp, 'app'> | { readonly app: { readonly hono: Hono<AppEnv> } }>): HttpApiHandler {
  let app: Promise<{ handler: AdapterHandler }> | undefined;
  return async (event, context) => {
    let handler: AdapterHandler;
    try {
      ({ handler } = await (app ??= setup().then((ready) => ({ handler: handle(ready.app.hono, { isContentTypeBinary: isBinary }) as AdapterHandler }))));
    } catch (error) {
      app = undefined;
      console.error('registry setup failed:', error);
      return setupFailed();
    }
    return (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
  };
}

/** Shaped like any other masked error, so clients see one format; the cause is in the log only. */
function setupFailed(): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 500,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
    isBase64Encoded: false,
  };
}

/** The Lambda entry point (serverless.yml: dist/lambda/handler.handler), configured from its environment. */
export const handler: HttpApiHandler = createHandler(() => createLambdaApp(process.env));
