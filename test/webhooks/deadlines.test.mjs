// Deadlines: one timer bounds every store step of a receiver.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';

describe('the bounds on store steps', () => {
  test('one timer for all: a step that settles in time passes through, one that never settles fails at its deadline', async () => {
    const { Deadlines } = await import('../../dist/webhooks/deadlines.js');
    const deadlines = new Deadlines(100);
    const started = Date.now();
    const fast = deadlines.bound(Promise.resolve('fast'), () => 'fast was late');
    const failing = deadlines.bound(Promise.reject(new Error('refused')), () => 'failing was late');
    const hung = deadlines.bound(new Promise(() => {}), () => 'hung was late');
    assert.equal(await fast, 'fast');
    await assert.rejects(failing, /refused/);
    await assert.rejects(hung, /hung was late/);
    const waited = Date.now() - started;
    assert.ok(waited >= 95 && waited < 1000, `the hung step failed after ${waited} ms`);
    // Later steps get their own deadline, after the first sweep.
    const later = deadlines.bound(new Promise(() => {}), () => 'later was late');
    await assert.rejects(later, /later was late/);
    // No bound: the step itself, with no timer that would overflow and fire at once.
    const step = new Promise((resolve) => setTimeout(resolve, 50, 'unbounded'));
    const unbounded = new Deadlines(Infinity).bound(step, () => 'never late');
    assert.equal(unbounded, step);
    assert.equal(await unbounded, 'unbounded');
  });

  test('a timer left armed after every wait has ended does not keep the process alive', async () => {
    const url = new URL('../../dist/webhooks/deadlines.js', import.meta.url).href;
    // A step bounded by 30 s, over at once: the process ends now, not when the timer would fire.
    const script = `const { Deadlines } = await import(${JSON.stringify(url)});
      await new Deadlines(30000).bound(Promise.resolve('done'), () => 'late');`;
    const started = Date.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await new Promise((resolve) => child.once('exit', (exitCode, signal) => resolve(signal ?? exitCode)));
    clearTimeout(timer);
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 10_000, `the process ended after ${Date.now() - started} ms`);
  });
});
