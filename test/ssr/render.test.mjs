// Server-side rendering with @lit-labs/ssr in Node: the element renders to declarative shadow DOM,
// inline and modal, with its styles and parts, and with nothing of a launch (no frame, no token).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderWidget } from '../support/ssr.mjs';

for (const modal of [false, true]) {
  test(`renders ${modal ? 'modal' : 'inline'} to declarative shadow DOM`, () => {
    const markup = renderWidget({ modal });
    assert.match(markup, /<wink-widget[^>]* open[ >]/);
    assert.match(markup, /<template shadowroot="open" shadowrootmode="open"><style>/);
    assert.match(markup, modal ? /<dialog part="dialog" aria-label="Smile Wink Widget"/ : /<div part="base">/);
    assert.doesNotMatch(markup, modal ? /part="base"/ : /<dialog/);
    assert.doesNotMatch(markup, /<iframe|token/);
  });
}
