/**
 * Entry of the offline simulator, built as a classic script (`wink-widget/simulator`): defines the
 * global `SmileLinkModal`, as the real SDK script does. Point `sdk-url` at it. Its types describe
 * that global, its config (the SDK's documented options, its callbacks, and the simulator's own
 * `simulator` controls) and the scenarios it can play.
 */
import type { WinkCallbacks } from '../events.js';
import { SmileLinkModal, type SimulatorControls } from './smile-link-modal.js';

export type { SimulatorControls } from './smile-link-modal.js';
export type { ScenarioName } from './scenarios.js';
export type { SmileLinkModal };

/** What `new SmileLinkModal(config)` takes: the Wink SDK's config, plus `simulator`. */
export interface SmileLinkModalConfig extends WinkCallbacks {
  /** The Link token's `accessToken`; a simulator token (`wink-widget/simulator-token`) sets the user and expiry. */
  userToken: string;
  templateId?: string;
  /** Provider ids shown first (at most 10). */
  topProviders?: string[];
  /** Only these provider ids are offered. */
  providers?: string[];
  enableSearchBar?: boolean;
  enableTypeBar?: boolean;
  enableUpload?: boolean;
  companyName?: string;
  enableConsentPage?: boolean;
  /** The simulator's own controls: a scenario to play, earlier accounts and uploads. */
  simulator?: SimulatorControls;
  /** Other options pass through, as they do to the real SDK. */
  [option: string]: unknown;
}

declare global {
  interface Window {
    SmileLinkModal: new (config: SmileLinkModalConfig) => SmileLinkModal;
  }
}

window.SmileLinkModal = SmileLinkModal;
