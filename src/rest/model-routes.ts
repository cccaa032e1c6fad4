import type { Hono } from 'hono';
import { z } from 'zod';
import { licenseCheck } from '../application/license-check.js';
import type { Registry } from '../registry.js';
import type { AppEnv } from '../server/app-env.js';
import { fromAppError, restError } from './errors.js';
import { artifactAt, bodyOf, param, route, sessionOf } from './http.js';
import { restRatingOf } from './rating-view.js';
import { lineageView } from './lineage-view.js';

const LicenseCheckRequest = z.object({ github_url: z.string().min(1) });

/** A model's stored rating, its lineage graph and the license check. */
export function modelRoutes(app: Hono<AppEnv>, registry: Registry): void {
  app.get(
    '/artifact/model/:id/rate',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'SEARCH');
      if (!session.ok) return session.error;
      const model = await artifactAt(session.value, 'model', param(c, 'id'));
      if (!model.ok) return model.error;
      // The rating stored at ingest (or by the latest re-rating): a read, never a recomputation.
      const rating = model.value.rating;
      if (!rating) return restError(404, 'NOT_FOUND', 'this model has no rating: it was registered from a host the registry cannot read');
      return c.json(restRatingOf(model.value, rating));
    }),
  );

  app.get(
    '/artifact/model/:id/lineage',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'SEARCH');
      if (!session.ok) return session.error;
      const model = await artifactAt(session.value, 'model', param(c, 'id'));
      if (!model.ok) return model.error;
      return c.json(lineageView(model.value, await session.value.queries.lineage(model.value)));
    }),
  );

  app.post(
    '/artifact/model/:id/license-check',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'SEARCH');
      if (!session.ok) return session.error;
      const model = await artifactAt(session.value, 'model', param(c, 'id'));
      if (!model.ok) return model.error;
      const body = await bodyOf(c, LicenseCheckRequest);
      if (!body.ok) return body.error;
      const verdict = await licenseCheck(session.value.licenses, model.value, body.value.github_url);
      if (verdict.ok) return c.json(verdict.value.compatible);
      // A repository GitHub does not have is the contract's 404 ("GitHub project could not be found").
      if (verdict.error.code === 'BAD_USER_INPUT' && verdict.error.details?.['upstream'] !== undefined) return restError(404, 'NOT_FOUND', verdict.error.message);
      return fromAppError(verdict.error);
    }),
  );
}
