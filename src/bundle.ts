/** Entry of the self-registering bundle (`wink-widget.min.js`): everything, with Lit inlined. */
import './define.js';

export * from './index.js';
