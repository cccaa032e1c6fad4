/**
 * True when DynamoDB refused a write because its condition did not hold. ElectroDB wraps SDK errors
 * in an ElectroError whose `cause` is the SDK error, so the whole cause chain is inspected.
 */
export function isConditionalCheckFailed(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current.name === 'ConditionalCheckFailedException') return true;
  }
  return false;
}
