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
  },
});

/**
 * A client's value a scalar refuses. graphql-js keeps a GraphQLError thrown by parseValue or
 * parseLiteral as it is (anything else it wraps, and yoga would mask the cause as an internal error).
 */
const invalidScalar = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

builder.scalarType('DateTime', {
  description: 'An ISO-8601 instant in UTC, e.g. 2026-11-23T11:34:29.000Z',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalidScalar('DateTime must be an ISO-8601 string');
    return new Date(value).toISOString();
  },
});

/** Byte counts and sizes: GraphQL Int stops at 2^31 - 1 (about 2 GB), JavaScript numbers are exact to 2^53 - 1. */
const isByteCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

builder.scalarType('Bytes', {
  description: 'A byte count: a non-negative integer up to 2^53 - 1 (GraphQL Int stops at 2^31 - 1, about 2 GB).',
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
  description: 'A file part of a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec). Input only.',
  serialize: () => {
    throw new TypeError('File is an input-only scalar');
  },
  parseValue: (value) => {
    if (!isUploadedFile(value)) throw invalidScalar('File must be a file part of a multipart request');
    return value;
  },
});

builder.queryType({});
builder.mutationType({});
