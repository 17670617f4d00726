// Simulator tokens: what createSimulatorToken mints, and what it refuses.
import { expect } from '@open-wc/testing';
import {
  DEFAULT_SIMULATOR_USER,
  SimulatorTokenError,
  createSimulatorToken,
  readSimulatorToken,
} from '../../src/simulator/token.js';

describe('simulator tokens', () => {
  it('mints a token for a default user when given nothing', () => {
    const token = createSimulatorToken();
    expect(token).to.match(/^sim\.[\w-]+$/);
    expect(readSimulatorToken(token)).to.deep.equal({ userId: DEFAULT_SIMULATOR_USER });
  });

  it('keeps the user and an ISO-8601 or Date expiry, normalised to ISO-8601', () => {
    expect(
      readSimulatorToken(createSimulatorToken({ userId: 'usr_1', expiresAt: '2026-12-01T12:00:00+01:00' })),
    ).to.deep.equal({
      userId: 'usr_1',
      expiresAt: '2026-12-01T11:00:00.000Z',
    });
    const when = new Date('2026-12-02T00:00:00Z');
    expect(readSimulatorToken(createSimulatorToken({ expiresAt: when })).expiresAt).to.equal(when.toISOString());
  });

  it('refuses an expiry it could not honour, and an empty user, with a coded error', () => {
    for (const claims of [
      { expiresAt: 'tomorrow' },
      { expiresAt: '12/01/2026' },
      { expiresAt: new Date('nope') },
      { userId: '' },
      { userId: 42 as unknown as string },
    ]) {
      let thrown: unknown;
      try {
        createSimulatorToken(claims);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(claims)).to.be.instanceOf(SimulatorTokenError);
      expect((thrown as SimulatorTokenError).code).to.equal('INVALID_SIMULATOR_CLAIMS');
    }
  });
});
