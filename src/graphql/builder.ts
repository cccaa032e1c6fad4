import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError, Kind } from 'graphql';
import type { Permission } from '../domain/users/permission.js';
import type { GraphQLContext } from './context.js';
import { encodeGlobalId } from '../domain/global-id.js';

/** What yoga's multipart parser hands over for a file part (a Fetch API File). */
export interface UploadedFile {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

function isUploadedFile(value: unknown): value is UploadedFile {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['size'] === 'number' && typeof candidate['name'] === 'string' && typeof candidate['arrayBuffer'] === 'function';
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: {
    DateTime: { Input: string; Output: string };
    Bytes: { Input: number; Output: number };
    File: { Input: UploadedFile; Output: never };
  };
  DefaultFieldNullability: false;
  AuthScopes: {
    /** Any valid token. */
    authenticated: boolean;
    /** A valid token whose user holds this permission. */
    permission: Permission;
  };
}>({
  // Scope auth runs before any other plugin's wrapper, so nothing executes for a refused caller.
  plugins: [ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      authenticated: ctx.session !== undefined,
      permission: (permission) => ctx.session?.viewer.permissions.includes(permission) ?? false,
    }),
    unauthorizedError: (_parent, ctx, info) =>
      ctx.session
        ? new GraphQLError(`${ctx.session.viewer.username} lacks the permission ${info.parentType.name}.${info.fieldName} needs`, {
            extensions: { code: 'FORBIDDEN' },
          })
        : new GraphQLError(ctx.authError?.message ?? 'authenticate first: send Authorization: Bearer <token>', {
            extensions: { code: 'UNAUTHENTICATED' },
          }),
  },
  relay: {
    // `node(id)` is defined with artifact(id) in types/artifact-queries.ts, with strict id parsing.
    nodeQueryOptions: false,
    encodeGlobalID: (typename, id) => encodeGlobalId(typename, String(id)),
    clientMutationId: 'omit',
    cursorType: 'String',
    // `nodes(ids)` would be an unbounded list; `node(id)` is enough.
    nodesQueryOptions: false,
    // The shared Relay types and fields, documented once for every connection.
    nodeTypeOptions: { description: 'An object with a global id: every artifact (Model, Dataset, Code). `node(id)` reads any of them.' },
    idFieldOptions: {
      description: "Relay global id: base64 of `<Type>:<ULID>` (e.g. base64 of `Model:01JD...`), at most 64 characters. Stable for the artifact's life; opaque to clients.",
    },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits: whether more follows, and the cursors to page on with `after`.' },
    hasNextPageFieldOptions: { description: 'True when items follow this page: ask again with `after: endCursor`.' },
    hasPreviousPageFieldOptions: { description: 'True when this page was asked for with `after` (connections page forward only).' },
    startCursorFieldOptions: { description: "The first edge's cursor; null when the page has no edges." },
    endCursorFieldOptions: { description: 'Pass it as `after` to get the next page. Null when the page has no edges (in searchArtifacts, unless its scan stopped early).' },
    pageInfoFieldOptions: { description: 'Paging state of this page.' },
    edgesFieldOptions: { description: "This page's items with their cursors, in the connection's order; at most `first` of them." },
    cursorFieldOptions: { description: 'Opaque position of this edge in its connection: pass it as `after` to get the items after it.' },
    nodeFieldOptions: { description: 'The item at this position.' },
  },
});

/**
 * A client's value a scalar refuses. graphql-js keeps a GraphQLError thrown by parseValue or
 * parseLiteral as it is (anything else it wraps, and yoga would mask the cause as an internal error).
 */
const invalidScalar = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * Where each scalar's rules are written down (`@specifiedBy`). The registry has no public address of
 * its own to link a page of ours from (the app is served at whatever origin a deployment gives it),
 * so Bytes points at the standard that fixes its bound; docs/scalars.md states all three in full.
 */
export const SCALAR_SPECIFICATIONS = {
  DateTime: 'https://datatracker.ietf.org/doc/html/rfc3339',
  Bytes: 'https://www.rfc-editor.org/rfc/rfc8259#section-6',
  File: 'https://github.com/jaydenseric/graphql-multipart-request-spec',
} as const;

builder.scalarType('DateTime', {
  description:
    'An instant as an RFC 3339 date-time string. Output is always UTC with milliseconds, e.g. `2026-11-23T11:34:29.000Z`; ' +
    'input may carry any offset and is converted to UTC before it is compared or stored. A string that is not a date is BAD_USER_INPUT. docs/scalars.md.',
  specifiedByURL: SCALAR_SPECIFICATIONS.DateTime,
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalidScalar('DateTime must be an ISO-8601 string');
    return new Date(value).toISOString();
  },
});

/** Byte counts and sizes: GraphQL Int stops at 2^31 - 1 (about 2 GB), JavaScript numbers are exact to 2^53 - 1. */
const isByteCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

builder.scalarType('Bytes', {
  description:
    'A count of bytes (octets), as a JSON number: an integer from 0 to 2^53 - 1 (9,007,199,254,740,991), the largest integer that JSON parsers reading numbers as doubles ' +
    '(JavaScript\'s among them) all read exactly (RFC 8259, section 6). GraphQL Int stops at 2^31 - 1, about 2 GB. A negative, fractional or larger value, or a string, is refused (BAD_USER_INPUT in variables). docs/scalars.md.',
  specifiedByURL: SCALAR_SPECIFICATIONS.Bytes,
  serialize: (value) => {
    if (!isByteCount(value)) throw new TypeError(`Bytes cannot represent ${String(value)}`);
    return value;
  },
  parseValue: (value) => {
    if (!isByteCount(value)) throw invalidScalar('Bytes must be a non-negative integer up to 2^53 - 1');
    return value;
  },
  parseLiteral: (node) => {
    const value = node.kind === Kind.INT ? Number(node.value) : NaN;
    // Literals fail in validation, which wraps a plain error with the value and its location.
    if (!isByteCount(value)) throw new TypeError('Bytes must be a non-negative integer up to 2^53 - 1');
    return value;
  },
});

builder.scalarType('File', {
  description:
    'A file part of a GraphQL multipart request: `null` in the variables where the file goes, and a `map` part naming that path. Input only. ' +
    'The request must carry a non-empty x-graphql-yoga-csrf header (cross-site protection). docs/scalars.md.',
  specifiedByURL: SCALAR_SPECIFICATIONS.File,
  serialize: () => {
    throw new TypeError('File is an input-only scalar');
  },
  parseValue: (value) => {
    if (!isUploadedFile(value)) throw invalidScalar('File must be a file part of a multipart request');
    return value;
  },
});

builder.queryType({
  description:
    'Reads. Send `Authorization: Bearer <token>` (from `authenticate`); anonymous callers may read `health` only. Each field names the permission it needs; ' +
    'a missing or spent token is UNAUTHENTICATED, a token without the permission FORBIDDEN.',
});
builder.mutationType({
  description:
    'Writes. Every change is an event in the history of what it changed. A refused mutation writes nothing (a model the ingest gate refuses leaves one audit event). ' +
    '`authenticate` is open to everyone; every other mutation names the permission it needs.',
});
