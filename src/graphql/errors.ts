import { GraphQLError } from 'graphql';
import type { AppError, Result } from '../domain/result.js';

export function toGraphQLError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { ...error.details, code: error.code } });
}

/** The edge where error values become GraphQL errors. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw toGraphQLError(result.error);
  return result.value;
}
