// The README's scenario table is the simulator's list of scenarios.
import { expect } from '@open-wc/testing';
import { SCENARIOS } from '../src/simulator/scenarios.js';

describe('README', () => {
  it('lists every simulator scenario with its description, in order', async () => {
    const readme = await (await fetch('/README.md')).text();
    const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| ([^|]+) \|$/gm)]
      .map(([, name, description]) => [name, description!.trim()])
      .filter(([name]) => name! in SCENARIOS);
    expect(rows).to.deep.equal(Object.entries(SCENARIOS).map(([name, scenario]) => [name, scenario.description]));
  });
});
