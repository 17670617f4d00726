// Polling, for what has no event to wait on (a server's counters, a lease running out): bounded.

/** Polls `read()` every 50 ms until `holds(value)`, for what has no event (a server's counters); bounded. */
export async function pollUntil(read, holds, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`Not within ${timeout} ms: ${what} (last ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
