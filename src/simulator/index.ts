/**
 * Entry of the offline simulator, built as a classic script (`wink-widget/simulator`): defines the
 * global `SmileLinkModal`, as the real SDK script does. Point `sdk-url` at it.
 */
import { SmileLinkModal } from './smile-link-modal.js';

declare global {
  interface Window {
    SmileLinkModal: typeof SmileLinkModal;
  }
}

window.SmileLinkModal = SmileLinkModal;
