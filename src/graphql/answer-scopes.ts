import {
  GraphQLError,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Permission } from '../domain/users/permission.js';
import type { GraphQLContext } from './context.js';

/** The scopes Pothos records on a type or field (scope-auth's `authScopes`, when given as an object). */
interface PothosScopes {
  readonly permission?: Permission;
  readonly authenticated?: boolean;
}

interface PothosOptions {
  readonly authScopes?: PothosScopes | ((...args: never[]) => unknown);
  readonly skipTypeScopes?: boolean;
  readonly skipInterfaceScopes?: boolean;
}

const optionsOf = (holder: { readonly extensions?: unknown }): PothosOptions =>
  ((holder.extensions as { pothosOptions?: PothosOptions } | undefined)?.pothosOptions ?? {});

/** Static scopes only: a function scope decides per value and answers null (unauthorizedResolver), never an error. */
function staticScopes(options: PothosOptions): PothosScopes | undefined {
  return typeof options.authScopes === 'object' ? options.authScopes : undefined;
}

/**
 * What reading `field` of `parent` requires: its own scopes, and its type's and interfaces' unless
 * the field skips them (`skipTypeScopes` on a field skips both here, as this schema uses it: the
 * `id`, `type` and `version` a writer needs). Checked against scope-auth's own answers field by
 * field in nested-scopes.test.ts.
 */
function requiredScopes(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>): PothosScopes[] {
  const fieldOptions = optionsOf(field);
  const required: PothosScopes[] = [];
  const own = staticScopes(fieldOptions);
  if (own) required.push(own);
  if (fieldOptions.skipTypeScopes) return required;
  const typeScopes = staticScopes(optionsOf(parent));
  if (typeScopes) required.push(typeScopes);
  if (isObjectType(parent) && !fieldOptions.skipInterfaceScopes) {
    for (const iface of parent.getInterfaces()) {
      const scopes = staticScopes(optionsOf(iface));
      if (scopes) required.push(scopes);
    }
  }
  return required;
}

function granted(scopes: PothosScopes, context: GraphQLContext): boolean {
  if (scopes.authenticated && !context.session) return false;
  return scopes.permission === undefined || (context.session?.viewer.permissions.includes(scopes.permission) ?? false);
}

/**
 * A mutation's answer is checked before it runs: a field of its payload the caller may not read
 * would otherwise be refused only after the change committed (an UPLOAD-only ingest asking for the
 * artifact's name registered it, answered FORBIDDEN, and a retry met CONFLICT). The mutation's own
 * root fields are left to scope-auth, which checks them before resolving. Queries are not
 * checked here: they change nothing, so a refused field costs the caller nothing.
 */
export function unreadableAnswerField(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, context: GraphQLContext): GraphQLError | undefined {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (operationName == null || d.name?.value === operationName),
  );
  const mutation = schema.getMutationType();
  if (!operation || operation.operation !== 'mutation' || !mutation) return undefined;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const seen = new Set<string>();

  const walk = (selections: SelectionSetNode, parent: GraphQLCompositeType, isRoot: boolean): GraphQLError | undefined => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__') || isUnionType(parent)) continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        if (!isRoot) {
          // On an interface the field that runs is the object type's: each possible one is checked.
          const runtime = isInterfaceType(parent) ? schema.getPossibleTypes(parent) : [parent];
          for (const type of runtime) {
            const runs = type.getFields()[field.name] ?? field;
            const missing = requiredScopes(type, runs).find((scopes) => !granted(scopes, context));
            if (missing) return refusal(parent.name, field.name, missing, context);
          }
        }
        const named: GraphQLNamedType = getNamedType(field.type);
        if (selection.selectionSet && (isObjectType(named) || isInterfaceType(named) || isUnionType(named))) {
          const found = walk(selection.selectionSet, named as GraphQLCompositeType, false);
          if (found) return found;
        }
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && seen.has(selection.name.value))) continue;
        if (selection.kind === Kind.FRAGMENT_SPREAD) seen.add(selection.name.value);
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        if (!condition || !(isObjectType(condition) || isInterfaceType(condition) || isUnionType(condition))) continue;
        const found = walk(fragment.selectionSet, condition as GraphQLCompositeType, isRoot);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(operation.selectionSet, mutation, true);
}

function refusal(typeName: string, fieldName: string, missing: PothosScopes, context: GraphQLContext): GraphQLError {
  const field = `${typeName}.${fieldName}`;
  if (!context.session) return new GraphQLError(`authenticate first: ${field} needs a token`, { extensions: { code: 'UNAUTHENTICATED', field } });
  const needs = missing.permission ?? 'a valid token';
  return new GraphQLError(
    `${context.session.viewer.username} lacks the permission ${field} needs (${needs}); nothing was changed. Ask only for what you may read (an artifact's id, type and version need no SEARCH).`,
    { extensions: { code: 'FORBIDDEN', field, ...(missing.permission && { permission: missing.permission }) } },
  );
}
