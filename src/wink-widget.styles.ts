import { css } from 'lit';

// Kept compact, out of Prettier's reach: these rules ship as written, within the element's size
// budget. A modal widget takes no room in the page (its dialog
// lives in the top layer, centred by the UA's :modal rules); the SDK draws its own overlay inside
// the frame, so the backdrop adds nothing by default. A preloaded frame waits [hidden].
// prettier-ignore
export const styles = css`
:host{display:block;position:relative;block-size:600px;color-scheme:normal}
:host(:not([open]):not([modal])),:host([hidden]),[hidden]{display:none!important}
:host([modal]){display:contents}
[part=base]{position:relative;block-size:100%}
dialog{inline-size:var(--wink-widget-dialog-width,100%);block-size:var(--wink-widget-dialog-height,100%);max-inline-size:100%;max-block-size:100%;padding:0;border:0;background:none}
dialog::backdrop{background:var(--wink-widget-backdrop,transparent)}
iframe{display:block;inline-size:100%;block-size:100%;border:0}
slot{position:absolute;inset:0;display:grid;place-items:center;pointer-events:none}
`;
