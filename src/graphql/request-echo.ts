import { GraphQLError } from 'graphql';

/**
 * How much of the request an error about it may repeat. graphql-js quotes the whole invalid
 * variable (`Variable "$input" got invalid value { username: "x", password: "..." }`), so a typo in
 * one field would send the password back, into logs, proxies and screenshots, and a megabyte
 * string would come back as a megabyte error. Errors say where and why, never what.
 */
export interface EchoLimits {
  /** Longest quoted text (an enum value, a field name the client made up) an error repeats. */
  readonly maxQuotedChars: number;
}

export const DEFAULT_ECHO_LIMITS: EchoLimits = { maxQuotedChars: 40 };

const VARIABLE_ERROR = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" got invalid value /;
// Only names and indices: a value graphql-js printed cannot end like this (its quotes are escaped).
const PATH_AT_END = / at "([_A-Za-z][_0-9A-Za-z]*(?:\.[_A-Za-z][_0-9A-Za-z]*|\[\d+\])*)"$/;
// graphql-js scalars end with the value: "String cannot represent a non string value: <value>".
const SCALAR_VALUE = /( cannot represent [^:]*value): [\s\S]*$/;
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;
/** Beyond this the rest of a message is schema text we never need to repeat in full. */
const MAX_MESSAGE_CHARS = 500;

/** A message with the values it quotes cut short and the values graphql-js scalars append dropped. */
export function withoutEchoes(message: string, limits: EchoLimits = DEFAULT_ECHO_LIMITS): string {
  const trimmed = message
    .replace(SCALAR_VALUE, '$1')
    .replace(QUOTED, (quoted, inner: string) => (inner.length > limits.maxQuotedChars ? `"${inner.slice(0, limits.maxQuotedChars)}..."` : quoted));
  return trimmed.length > MAX_MESSAGE_CHARS ? `${trimmed.slice(0, MAX_MESSAGE_CHARS)}...` : trimmed;
}

/**
 * A variable coercion error without the variable's value: where (the variable and the path inside
 * it) and why. Undefined for any other error. The reason is graphql-js's own message, which it
 * passes as `originalError`; the new error has none, so it reads as the client's mistake.
 */
export function withoutEchoedVariable(error: GraphQLError, limits: EchoLimits = DEFAULT_ECHO_LIMITS): GraphQLError | undefined {
  const variable = VARIABLE_ERROR.exec(error.message)?.[1];
  const reason = error.originalError?.message;
  if (variable === undefined || reason === undefined || !error.message.endsWith(`; ${reason}`)) return undefined;
  const prefix = error.message.slice(0, error.message.length - reason.length - 2);
  const at = PATH_AT_END.exec(prefix)?.[1];
  return new GraphQLError(`Variable "$${variable}" got an invalid value${at === undefined ? '' : ` at "${at}"`}: ${withoutEchoes(reason, limits)}`, {
    ...(error.nodes && { nodes: error.nodes }),
    extensions: { code: 'BAD_USER_INPUT', field: at ?? variable },
  });
}
