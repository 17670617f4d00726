// A web-test-runner reporter that ends the run with one plain line,
// `browser: N passed, N failed, N skipped`, for scripts/test.mjs to add up.
// A test file that fails to load counts as one failure, so it cannot pass by vanishing.

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
        const before = totals.failed;
        count(session.testResults, totals);
        if (!session.passed && totals.failed === before) totals.failed++;
      }
      console.log(`browser: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
    },
  };
}
