/**
 * The built-in bridge page, set as the widget's `srcdoc` (`BRIDGE_HTML`). A `srcdoc` document has
 * no URL anyone could open or frame, so it loads whatever SDK URL the element has checked.
 */
import { startBridge } from './bridge-runtime.js';

startBridge();
