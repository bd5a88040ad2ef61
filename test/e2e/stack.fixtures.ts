import { createTestDatabase } from '../helpers/database';
import { startStack, type Stack, type StackOptions } from '../helpers/stack';

/**
 * For a jest `describe`: a stack on a fresh copy of the seeded template, started before its tests and stopped after them.
 * Returns a getter because the stack exists only once `beforeAll` has run. Not in test/helpers, which the bench builds without jest.
 */
export function useStack(databasePrefix: string, options?: StackOptions): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase(databasePrefix), options);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (!stack) throw new Error(`the ${databasePrefix} stack is not running (used outside a test, or beforeAll failed)`);
    return stack;
  };
}
