import { hasCause } from './cause-chain.js';

/**
 * True when DynamoDB refused a write because its condition did not hold. ElectroDB wraps SDK errors
 * in an ElectroError whose `cause` is the SDK error, so the whole cause chain is inspected.
 */
export function isConditionalCheckFailed(error: unknown): boolean {
  return hasCause(error, (cause) => cause.name === 'ConditionalCheckFailedException');
}

/**
 * Runs a conditional write: true when it was written, false when its condition did not hold.
 * Every other failure is thrown. The one place that turns a refused condition into a value.
 */
export async function conditionHeld(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}
