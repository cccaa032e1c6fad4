import { getOperationAST, Kind, type DocumentNode, type ExecutionResult, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Answers of introspection-only operations (every root field `__schema`, `__type` or
 * `__typename`), kept for the documents asked most recently. Such an answer depends on the schema
 * and the variables alone, so GraphiQL's documentation pane, opened by every visitor with the same
 * document, costs one execution per process instead of one per visit. Yoga's parser cache hands
 * out one document object per document text, which is the key. Each answer is at most
 * QueryLimits.maxIntrospectionBytes of JSON, and `capacity` of them are kept.
 */
export function introspectionAnswers(capacity = 4): Plugin {
  const answers = new Map<string, ExecutionResult>();
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextId = 0;
  return {
    onExecute: ({ args, setResultAndStopExecution }) => {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation || operation.operation !== 'query' || !introspectionOnly(operation.selectionSet, args.document)) return undefined;
      let documentId = documentIds.get(args.document);
      if (documentId === undefined) documentIds.set(args.document, (documentId = ++nextId));
      const key = JSON.stringify([documentId, operation.name?.value ?? null, args.variableValues ?? null]);
      const known = answers.get(key);
      if (known) {
        // Most recently used last: the first key is the one to drop.
        answers.delete(key);
        answers.set(key, known);
        setResultAndStopExecution(known);
        return undefined;
      }
      return {
        onExecuteDone: ({ result }) => {
          if (Symbol.asyncIterator in result || result.errors) return;
          answers.set(key, result);
          if (answers.size > capacity) answers.delete(answers.keys().next().value!);
        },
      };
    },
  };
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type', '__typename']);

function introspectionOnly(selectionSet: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return INTROSPECTION_ROOTS.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return introspectionOnly(selection.selectionSet, document, seen);
    const name = selection.name.value;
    if (seen.has(name)) return true;
    seen.add(name);
    const fragment = document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name);
    return fragment !== undefined && introspectionOnly(fragment.selectionSet, document, seen);
  });
}
