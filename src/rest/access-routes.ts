import type { Hono } from 'hono';
import { z } from 'zod';
import type { Registry } from '../registry.js';
import type { AppEnv } from '../server/app-env.js';
import { serverContextOf } from '../server/app-env.js';
import { clientAddressOf } from '../server/client-address.js';
import { fromAppError, restError } from './errors.js';
import { bodyOf, route, sessionOf } from './http.js';

/** AuthenticationRequest: `is_admin` is what the client believes; the stored user decides. */
const AuthenticationRequest = z.object({
  user: z.object({ name: z.string(), is_admin: z.boolean().optional() }),
  secret: z.object({ password: z.string() }),
});

/** PUT /authenticate and DELETE /reset: the contract's access-control track. */
export function accessRoutes(app: Hono<AppEnv>, registry: Registry): void {
  app.put(
    '/authenticate',
    route(async (c) => {
      const body = await bodyOf(c, AuthenticationRequest);
      if (!body.ok) return body.error;
      const issued = await registry.authentication.authenticate(body.value.user.name, body.value.secret.password, clientAddressOf(serverContextOf(c.env)));
      // The contract's 401 is "the user or password is invalid" here (403 is a refused token elsewhere).
      if (!issued.ok) return issued.error.code === 'UNAUTHENTICATED' ? restError(401, 'UNAUTHENTICATED', issued.error.message) : fromAppError(issued.error);
      return c.json(`bearer ${issued.value.token}`);
    }),
  );

  app.delete(
    '/reset',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'ADMIN', 401);
      if (!session.ok) return session.error;
      // The default administrator's token keeps working in the reset registry (requirements §5).
      await registry.reset({ keepToken: session.value.token });
      return c.json({ reset: true });
    }),
  );
}
