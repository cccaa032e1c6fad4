import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

/**
 * Typed GraphQL documents: `graphql()` checks each operation against schema/schema.graphql (the
 * introspection types are generated from it by `gql-tada generate output`), and infers its result
 * and variables types.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; Bytes: number; File: File };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
