// The callback mix of the relay benchmark, shared by the SDK stand-in and the raw anchor:
// ui-event, account and uploads payloads in turn, as a session produces them.
globalThis.winkBenchPayloads = [
  [
    'onUIEvent',
    {
      eventName: 'LoginPageOpened',
      eventTime: '2026-11-29T10:00:00.000Z',
      mode: 'SANDBOX',
      userId: 'usr_bench',
      account: { providerId: 'northwind' },
      archive: null,
    },
  ],
  ['onAccountConnected', { accountId: 'acc_0123456789abcdef01234567', userId: 'usr_bench', providerId: 'northwind' }],
  [
    'onUploadsCreated',
    {
      userId: 'usr_bench',
      uploads: [{ id: 'upl_1', type: 'PAYSTUB', fileNames: ['paystub.pdf'], createdAt: '2026-11-29T10:00:00.000Z' }],
    },
  ],
];
