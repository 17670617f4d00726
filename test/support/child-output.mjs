// What a child process prints, with a bounded wait for what it has yet to print: the tests wait
// on the child's own words (`listening`, `handled <id>`) rather than on time.
const WAIT_MS = 10000;

/** Follows `child`'s stdout; `printed(test)` resolves with the text so far once `test(text)` holds. */
export function followOutput(child, { timeout = WAIT_MS } = {}) {
  let text = '';
  const waiters = new Set();
  child.stdout.on('data', (chunk) => {
    text += chunk;
    for (const wake of waiters) wake();
  });
  const printed = (test, what = String(test)) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (!test(text)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(text);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`No ${what} within ${timeout} ms; printed: ${JSON.stringify(text.slice(-500))}`));
      }, timeout);
      waiters.add(check);
      check();
    });
  return { printed, text: () => text };
}
