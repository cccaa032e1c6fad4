import { GraphQLError } from 'graphql';
import type { AppError, Result } from '../domain/result.js';

/** AppErrors' `serverDetail`, kept off the GraphQL error so no serializer can send it. */
const serverDetails = new WeakMap<object, string>();

export function toGraphQLError(error: AppError): GraphQLError {
  const graphQLError = new GraphQLError(error.message, { extensions: { ...error.details, code: error.code } });
  if (error.serverDetail !== undefined) serverDetails.set(graphQLError, error.serverDetail);
  return graphQLError;
}

/** The server-only detail of the AppError beneath a GraphQL error (graphql-js wraps thrown errors once per path). */
export function serverDetailOf(error: GraphQLError): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    const detail = serverDetails.get(current);
    if (detail !== undefined) return detail;
    current = 'originalError' in current ? current.originalError : undefined;
  }
  return undefined;
}

/** The edge where error values become GraphQL errors. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw toGraphQLError(result.error);
  return result.value;
}
