import type { Hono } from 'hono';
import type { HistoryItem, HistoryPosition } from '../domain/history.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import type { Username } from '../domain/users/username.js';
import { MAX_PAGE_SIZE } from '../application/artifact-queries.js';
import type { Registry } from '../registry.js';
import type { AppEnv } from '../server/app-env.js';
import type { RequestSession } from '../server/request-session.js';
import { fromAppError, restError } from './errors.js';
import { artifactAt, param, route, sessionOf } from './http.js';
import { metadataOf } from './artifact-view.js';

/** Bytes per MB in cost answers (decimal, as download sizes are quoted). */
export const BYTES_PER_MB = 1_000_000;
/** The audit trail answers at most this many events (10 pages of the event stream). */
export const MAX_AUDIT_EVENTS = 1000;

const megabytes = (bytes: number): number => Math.round((bytes / BYTES_PER_MB) * 1_000_000) / 1_000_000;

type AuditAction = 'CREATE' | 'UPDATE' | 'DOWNLOAD' | 'RATE';

/**
 * Audit actions of one event. A registration that rated the model is also its first RATE; links,
 * files and URL changes are UPDATEs; mirror progress is not an action of a user.
 */
function actionsOf(item: HistoryItem): AuditAction[] {
  switch (item.type) {
    case 'ArtifactRegistered':
      return item.payload.rating ? ['CREATE', 'RATE'] : ['CREATE'];
    case 'ModelRated':
      return ['RATE'];
    case 'FileDownloaded':
      return ['DOWNLOAD'];
    case 'ArtifactUpdated':
    case 'ArtifactLinked':
    case 'FileAdded':
      return ['UPDATE'];
    default:
      return [];
  }
}

/** The artifact's history (events and download records, in time order), up to MAX_AUDIT_EVENTS. */
async function historyOf(session: RequestSession, artifact: ArtifactState): Promise<HistoryItem[] | ReturnType<typeof fromAppError>> {
  const items: HistoryItem[] = [];
  let after: HistoryPosition | undefined;
  for (;;) {
    const page = await session.queries.history(artifact.id, MAX_PAGE_SIZE, after);
    if (!page.ok) return fromAppError(page.error);
    items.push(...page.value.events);
    if (!page.value.hasNextPage || page.value.events.length === 0 || items.length >= MAX_AUDIT_EVENTS) return items;
    after = page.value.position;
  }
}

/** Cost in MB and the audit trail, for every artifact type. */
export function recordRoutes(app: Hono<AppEnv>, registry: Registry): void {
  app.get(
    '/artifact/:artifact_type/:id/cost',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'SEARCH');
      if (!session.ok) return session.error;
      const flag = c.req.query('dependency');
      if (flag !== undefined && flag !== 'true' && flag !== 'false') return restError(400, 'BAD_USER_INPUT', 'dependency must be true or false');
      const artifact = await artifactAt(session.value, param(c, 'artifact_type'), param(c, 'id'));
      if (!artifact.ok) return artifact.error;
      const cost = await session.value.queries.cost(artifact.value, flag === 'true');
      // The artifact first with its total; each dependency once, with its own size.
      const [own, ...dependencies] = cost.items;
      return c.json({
        [own!.artifact.id]: { standalone_cost: megabytes(cost.standaloneBytes), total_cost: megabytes(cost.totalBytes) },
        ...Object.fromEntries(dependencies.map((item) => [item.artifact.id, { standalone_cost: megabytes(item.standaloneBytes), total_cost: megabytes(item.standaloneBytes) }])),
      });
    }),
  );

  app.get(
    '/artifact/:artifact_type/:id/audit',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'SEARCH');
      if (!session.ok) return session.error;
      const artifact = await artifactAt(session.value, param(c, 'artifact_type'), param(c, 'id'));
      if (!artifact.ok) return artifact.error;
      const events = await historyOf(session.value, artifact.value);
      if (!Array.isArray(events)) return events;
      // Who downloaded what is for administrators only (SECURITY.md), as in GraphQL history.
      const admin = session.value.viewer.permissions.includes('ADMIN');
      const actors = [...new Set(events.map((event) => event.actor as string))];
      const users = new Map(await Promise.all(actors.map(async (name) => [name, await registry.userCommands.getUser(session.value.scope.epoch, name as Username)] as const)));
      const metadata = metadataOf(artifact.value);
      return c.json(
        events.flatMap((event) =>
          actionsOf(event).map((action) => {
            const hidden = action === 'DOWNLOAD' && !admin;
            const user = users.get(event.actor);
            return {
              user: hidden ? { name: 'hidden', is_admin: false } : { name: event.actor as string, is_admin: user?.permissions.includes('ADMIN') ?? false },
              date: event.at,
              artifact: metadata,
              action,
            };
          }),
        ),
      );
    }),
  );
}
