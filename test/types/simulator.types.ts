// Compile-only: the published types of `wink-widget/simulator`: the global SmileLinkModal it
// defines, its config and the scenarios it plays.
import type { ScenarioName, SimulatorControls, SmileLinkModal, SmileLinkModalConfig } from 'wink-widget/simulator';

const scenario: ScenarioName = 'connect-mfa';
// @ts-expect-error: not a scenario
const misspelt: ScenarioName = 'conect';

const controls: SimulatorControls = { scenario: 'upload', delay: 0 };
const config: SmileLinkModalConfig = {
  userToken: 'sim.token',
  templateId: 'wtpl-1',
  enableUpload: true,
  simulator: controls,
  onAccountConnected: (detail) => detail.accountId,
  onUIEvent: (detail) => detail.eventName,
};
const modal: SmileLinkModal = new window.SmileLinkModal(config);
modal.open();

// @ts-expect-error: the userToken is required
new window.SmileLinkModal({ templateId: 'wtpl-1' });
// @ts-expect-error: a scenario name is checked
new window.SmileLinkModal({ userToken: 't', simulator: { scenario: 'nope' } });

export { misspelt, scenario };
