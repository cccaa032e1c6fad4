import type { Registry } from '../registry.js';

/** How often `npm start` looks for due webhook deliveries: the first retry is due after 2 s. */
export const WEBHOOK_DISPATCH_INTERVAL_MS = 1_000;

/**
 * Runs the delivery worker of the current epoch every second, one run at a time. Lambda has no
 * such timer: there the worker needs a scheduled invocation (not built yet, see README "Webhooks").
 */
export function dispatchWebhooksPeriodically(registry: Registry, log: (message: string) => void = console.error): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    registry
      .currentScope()
      .then((scope) => scope.webhookDispatcher.runDue())
      .catch((error: unknown) => log(`webhook delivery run failed: ${String(error)}`))
      .finally(() => {
        running = false;
      });
  }, WEBHOOK_DISPATCH_INTERVAL_MS);
  timer.unref();
  return timer;
}
