import { visit, type DocumentNode, type GraphQLError } from 'graphql';
import { tooComplex, type QueryLimits } from './query-limits.js';

/** What the document's text holds, counted once per occurrence (fragments are not expanded). */
export interface DocumentShape {
  readonly fields: number;
  readonly directives: number;
}

export function documentShape(document: DocumentNode): DocumentShape {
  let fields = 0;
  let directives = 0;
  visit(document, {
    Field: () => void (fields += 1),
    Directive: () => void (directives += 1),
  });
  return { fields, directives };
}

/**
 * Refuses a document with too many fields or directives before validation runs: graphql-js would
 * otherwise report each unknown field and stop at 100 errors with a bare "Validation aborted.",
 * after spending the work on all of them.
 */
export function checkDocumentShape(document: DocumentNode, limits: Pick<QueryLimits, 'maxFields' | 'maxDirectives'>): GraphQLError | undefined {
  const { fields, directives } = documentShape(document);
  if (fields > limits.maxFields) return tooComplex(`the document selects ${fields} fields; the limit is ${limits.maxFields}`, 'maxFields', limits.maxFields);
  if (directives > limits.maxDirectives) return tooComplex(`the document uses ${directives} directives; the limit is ${limits.maxDirectives}`, 'maxDirectives', limits.maxDirectives);
  return undefined;
}
