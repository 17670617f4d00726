/**
 * Registers `<wink-widget>`. Guarded, so that loading this module twice (or next to the bundle)
 * is harmless.
 */
import { WinkWidget } from './wink-widget.js';

if (!customElements.get('wink-widget')) customElements.define('wink-widget', WinkWidget);

export { WinkWidget };
