/**
 * TEST ONLY. When REGISTRY_TEST_KILL_BEFORE_REACTION names a reactor, the process kills itself
 * (SIGKILL, no clean shutdown) right after a commit and before that reactor runs inline, so a test
 * can show the reaction is replayed after a restart (test/integration/reaction-replay.test.ts).
 * Inert unless the variable is set: production never sets it.
 */
export const KILL_BEFORE_REACTION_VARIABLE = 'REGISTRY_TEST_KILL_BEFORE_REACTION';

export function killBeforeReactionIfAsked(reactor: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env[KILL_BEFORE_REACTION_VARIABLE] === reactor) process.kill(process.pid, 'SIGKILL');
}
