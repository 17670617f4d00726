// The seeded generators of test/fixtures/fuzz.js, as the test page loads them.
import type { CallbackName } from '../../src/index.js';

export interface FuzzCase {
  name: CallbackName;
  kind: string;
  /** The element's one output: the detail as JSON text, or INVALID_PAYLOAD. */
  expected: { detail: string } | { error: true };
}

export interface WinkFuzz {
  /** Seeded random numbers in [0, 1). */
  generator(seed: number): () => number;
  messages(seed: number, count: number): unknown[];
  callbacks(seed: number, count: number): FuzzCase[];
}

/** Loads the classic script that defines `winkFuzz` (the same file the fuzzer frames load). */
export async function loadFuzz(): Promise<WinkFuzz> {
  await import('../fixtures/fuzz.js');
  return (globalThis as unknown as { winkFuzz: WinkFuzz }).winkFuzz;
}
