/**
 * Media types whose bodies go to API Gateway as UTF-8 text (readable in logs and test output);
 * anything else is base64, which API Gateway decodes before it reaches the client. No content
 * type means no body worth encoding. hono/aws-lambda base64-encodes compressed bodies by itself.
 */
export function isTextual(contentType: string | null): boolean {
  if (contentType === null) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || type === 'application/json' || type.endsWith('+json') || type.endsWith('+xml') || type === 'application/xml' || type === 'application/javascript' || type === 'application/graphql';
}

export const isBinary = (contentType: string): boolean => !isTextual(contentType);
