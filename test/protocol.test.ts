// The protocol module on its own: pure functions over unknown data.
import { expect } from '@open-wc/testing';
import { WINK_CALLBACKS } from '../src/events.js';
import {
  CALLBACK_NAMES,
  deepFreeze,
  isBridgeReady,
  isCallbackName,
  otherBridgeVersion,
  isConnect,
  PROTOCOL_VERSION,
  readCallback,
  readPortMessage,
  toCloneable,
} from '../src/protocol.js';

const account = { accountId: 'a', userId: 'u', providerId: 'p' };
const ui = { eventName: 'ConsentPageOpened', eventTime: '2026-11-22T10:00:00Z', mode: 'SANDBOX', userId: 'u' };

const V = PROTOCOL_VERSION;

describe('protocol: message envelopes', () => {
  it('is version 2: the launch goes over the port, after a handshake that carries no token', () => {
    expect(PROTOCOL_VERSION).to.equal(2);
  });

  it('recognises the handshake, and nothing else as one', () => {
    expect(isBridgeReady({ wink: 'bridge-ready', v: V })).to.equal(true);
    for (const data of [
      null,
      undefined,
      'bridge-ready',
      [],
      { wink: 'bridge-ready' },
      { wink: 'bridge-ready', v: 1 },
      { wink: 'bridge-ready', v: 3 },
      { wink: 'opened', v: V },
    ]) {
      expect(isBridgeReady(data), JSON.stringify(data)).to.equal(false);
    }
  });

  it('names the version of a handshake of another protocol version, and of nothing else', () => {
    expect(otherBridgeVersion({ wink: 'bridge-ready', v: 1 })).to.deep.equal({ v: 1 });
    expect(otherBridgeVersion({ wink: 'bridge-ready', v: '2' })).to.deep.equal({ v: '2' });
    expect(otherBridgeVersion({ wink: 'bridge-ready' })).to.deep.equal({ v: undefined });
    for (const data of [
      null,
      undefined,
      'bridge-ready',
      [],
      { wink: 'bridge-ready', v: V },
      { wink: 'opened', v: 1 },
    ]) {
      expect(otherBridgeVersion(data), JSON.stringify(data)).to.equal(undefined);
    }
  });

  it('recognises the answer to the handshake, as the bridge receives it, and nothing else', () => {
    expect(isConnect({ wink: 'connect', v: V })).to.equal(true);
    for (const data of [
      null,
      'connect',
      [],
      { wink: 'connect' },
      { wink: 'connect', v: 1 },
      { wink: 'launch', v: V, config: {}, callbacks: [] },
      { wink: 'bridge-ready', v: V },
    ]) {
      expect(isConnect(data), JSON.stringify(data)).to.equal(false);
    }
  });

  it('reads port messages: loaded, opened, sdk-error with a known code, callback with a known name', () => {
    const valid = [
      { wink: 'loaded', v: V },
      { wink: 'opened', v: V },
      { wink: 'sdk-error', v: V, code: 'SDK_LOAD_FAILED', message: 'x' },
      { wink: 'sdk-error', v: V, code: 'SDK_ERROR', message: 'x' },
      { wink: 'callback', v: V, name: 'onClose', args: ['exit'] },
      // Arguments the bridge could not read: why, as text.
      { wink: 'callback', v: V, name: 'onClose', args: 'getter says no' },
    ];
    for (const data of valid) expect(readPortMessage(data)).to.equal(data);
    const invalid = [
      { wink: 'bridge-ready', v: V },
      { wink: 'connect', v: V },
      { wink: 'launch', v: V, config: {}, callbacks: [] },
      { wink: 'loaded', v: 1 },
      { wink: 'sdk-error', v: V, code: 'MISSING_TOKEN', message: 'x' },
      { wink: 'sdk-error', v: V, code: 'SDK_ERROR' },
      { wink: 'callback', v: V, name: 'onSomethingElse', args: [] },
      { wink: 'callback', v: V, name: 'toString', args: [] },
      { wink: 'callback', v: V, name: 'onClose', args: { reason: 'exit' } },
      { wink: 'callback', v: V, name: 'onClose' },
      { wink: 'callback', v: 1, name: 'onClose', args: [] },
      [{ wink: 'opened', v: V }],
      42,
      null,
    ];
    for (const data of invalid) expect(readPortMessage(data), JSON.stringify(data)).to.equal(undefined);
  });

  it('knows exactly the nine callback names, in table order', () => {
    expect(CALLBACK_NAMES).to.deep.equal(Object.keys(WINK_CALLBACKS));
    expect(CALLBACK_NAMES).to.have.length(9);
    expect(isCallbackName('onUIEvent')).to.equal(true);
    expect(isCallbackName('hasOwnProperty')).to.equal(false);
  });
});

describe('protocol: callback payloads', () => {
  it('maps each callback to its event with a deep-frozen detail', () => {
    const read = readCallback('onUIEvent', [{ ...ui, account: { providerId: 'p' }, archive: null }]);
    expect(read).to.deep.equal({
      ok: true,
      type: 'ui-event',
      detail: { ...ui, account: { providerId: 'p' }, archive: null },
    });
    if (!read.ok) throw new Error('unreachable');
    expect(Object.isFrozen(read.detail)).to.equal(true);
    expect(Object.isFrozen((read.detail as { account: object }).account)).to.equal(true);
  });

  const valid: [keyof typeof WINK_CALLBACKS, unknown[]][] = [
    ['onAccountCreated', [account]],
    ['onAccountConnected', [{ ...account, extra: 1 }]],
    ['onAccountRemoved', [account]],
    ['onAccountError', [{ ...account, errorCode: 'SOMETHING_NEW' }]],
    ['onTokenExpired', []],
    ['onTokenExpired', [null]],
    ['onUploadsCreated', [{ uploads: [], userId: 'u' }]],
    ['onUploadsRemoved', [{ uploads: [{ anything: true }], userId: 'u' }]],
    ['onUIEvent', [ui]],
    ['onUIEvent', [{ ...ui, eventName: 'SomeFutureScreenOpened', account: null, archive: { fileType: 'W2' } }]],
    ['onClose', ['exit']],
    ['onClose', [{ reason: 'close' }]],
  ];
  for (const [name, args] of valid) {
    it(`accepts ${name}(${JSON.stringify(args)})`, () => {
      const read = readCallback(name, args);
      expect(read.ok).to.equal(true);
      if (read.ok) expect(read.type).to.equal(WINK_CALLBACKS[name]);
    });
  }

  const invalid: [keyof typeof WINK_CALLBACKS, unknown[]][] = [
    ['onAccountCreated', []],
    ['onAccountCreated', ['acc-1']],
    ['onAccountConnected', [{ ...account, userId: 1 }]],
    ['onAccountRemoved', [[account]]],
    ['onAccountError', [account]],
    ['onUploadsCreated', [{ uploads: {}, userId: 'u' }]],
    ['onUploadsRemoved', [{ uploads: [] }]],
    ['onUIEvent', [{ ...ui, eventTime: 1732269600000 }]],
    ['onUIEvent', [{ ...ui, mode: undefined }]],
    ['onUIEvent', [{ ...ui, account: { accountId: 5 } }]],
    ['onUIEvent', [{ ...ui, archive: 'W2' }]],
    ['onClose', []],
    ['onClose', [{ reason: null }]],
    ['onClose', [3]],
  ];
  for (const [name, args] of invalid) {
    it(`rejects ${name}(${JSON.stringify(args)}) as INVALID_PAYLOAD, keeping the payload`, () => {
      const read = readCallback(name, args);
      expect(read.ok).to.equal(false);
      if (read.ok) return;
      expect(read.error.code).to.equal('INVALID_PAYLOAD');
      expect(read.error.callback).to.equal(name);
      expect(read.error.payload).to.deep.equal(args.length === 1 ? args[0] : args);
      expect(Object.isFrozen(read.error)).to.equal(true);
    });
  }
  it('reports arguments the bridge could not read as INVALID_PAYLOAD that says why, for any callback', () => {
    for (const name of CALLBACK_NAMES) {
      const read = readCallback(name, 'getter says no');
      expect(read.ok, name).to.equal(false);
      if (read.ok) continue;
      expect(read.error).to.include({ code: 'INVALID_PAYLOAD', callback: name });
      expect(read.error.message).to.contain('could not be read').and.to.contain('getter says no');
      expect(Object.isFrozen(read.error)).to.equal(true);
    }
  });
});

describe('protocol: helpers', () => {
  it('toCloneable keeps data and drops what structured clone or JSON cannot carry', () => {
    class Custom {
      field = 1;
    }
    const cycle: Record<string, unknown> = { name: 'c' };
    cycle.self = cycle;
    const input = {
      text: 's',
      number: 1,
      flag: true,
      nothing: null,
      list: [1, () => {}, 'x'],
      nested: { deep: { ok: 'yes' } },
      fn: () => {},
      symbol: Symbol('s'),
      big: 10n,
      instance: new Custom(),
      error: new Error('e'),
      map: new Map(),
      date: new Date('2026-11-22T00:00:00Z'),
      cycle,
      bare: Object.create(null) as object,
    };
    expect(toCloneable(input)).to.deep.equal({
      text: 's',
      number: 1,
      flag: true,
      nothing: null,
      list: [1, null, 'x'],
      nested: { deep: { ok: 'yes' } },
      date: '2026-11-22T00:00:00.000Z',
      cycle: { name: 'c' },
      bare: {},
    });
    expect(toCloneable([() => {}, undefined])).to.deep.equal([null, null]);
    expect(toCloneable(() => {})).to.equal(undefined);
    expect(structuredClone(toCloneable([document.body, window, input]))).to.deep.equal([
      null,
      null,
      toCloneable(input),
    ]);
  });

  it('deepFreeze freezes nested records and arrays, and returns its argument', () => {
    const value = { a: { b: [1, { c: 2 }] } };
    expect(deepFreeze(value)).to.equal(value);
    expect(Object.isFrozen(value.a.b)).to.equal(true);
    expect(Object.isFrozen(value.a.b[1])).to.equal(true);
  });
});
