// A web-test-runner reporter that ends the run with one plain line,
// `browser: N passed, N failed, N skipped`, for scripts/test.mjs to add up.
// A test file that fails to load, or registers no test, counts as one failure, so that it cannot
// pass by vanishing.

function count(suite, totals) {
  for (const test of suite?.tests ?? []) {
    if (test.skipped) totals.skipped++;
    else if (test.passed) totals.passed++;
    else totals.failed++;
  }
  for (const child of suite?.suites ?? []) count(child, totals);
}

export function summaryReporter() {
  let sessions = [];
  return {
    onTestRunFinished(args) {
      sessions = args.sessions;
    },
    stop() {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = { ...totals };
        count(session.testResults, totals);
        const ran = totals.passed + totals.failed + totals.skipped - before.passed - before.failed - before.skipped;
        if (ran === 0) console.log(`${session.browser.name}: ${session.testFile}: no test ran`);
        if (ran === 0 || (!session.passed && totals.failed === before.failed)) totals.failed++;
      }
      console.log(`browser: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
    },
  };
}
