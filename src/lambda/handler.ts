import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { requestFromEvent, resultFromResponse } from './api-gateway-v2.js';
import { createLambdaApp, type LambdaApp } from './lambda-app.js';

export type HttpApiHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * A handler that builds its app on the first invocation and reuses it while the container lives:
 * a cold start pays for SSM and client setup once, warm invocations reuse the same SDK clients
 * (and their kept-alive connections). A failed setup is not cached, so a transient SSM error
 * costs one request, not the container.
 */
export function createHandler(setup: () => Promise<LambdaApp>): HttpApiHandler {
  let app: Promise<LambdaApp> | undefined;
  return async (event, context) => {
    let ready: LambdaApp;
    try {
      ready = await (app ??= setup());
    } catch (error) {
      app = undefined;
      console.error('registry setup failed:', error);
      return setupFailed();
    }
    const response = await ready.yoga.fetch(requestFromEvent(event), { lambdaEvent: event, lambdaContext: context });
    return resultFromResponse(response);
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
