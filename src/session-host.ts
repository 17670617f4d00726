/**
 * The narrow view of `<wink-widget>` that its session controller takes: a ReactiveControllerHost
 * with the element's properties, and the few things any element has. The session depends on
 * this, not on the element's class.
 */
import type { ReactiveControllerHost } from 'lit';
import type { FrameHost } from './bridge/bridge-frame.js';
import type { WinkCallbacks } from './events.js';
import type { TokenProvider, WinkPropertyDeclaration } from './wink-widget.js';

/**
 * What the session reads and sets of its element: the element's properties (its table, with
 * which changes relaunch a session or rebuild a preloaded frame), and what any element has.
 */
export interface SessionHost
  extends
    ReactiveControllerHost,
    FrameHost,
    Pick<HTMLElement, 'isConnected' | 'shadowRoot' | 'setAttribute' | 'dispatchEvent'> {
  open: boolean;
  readonly token: string | undefined;
  readonly templateId: string | undefined;
  readonly modal: boolean;
  readonly options: Record<string, unknown> | undefined;
  readonly callbacks: WinkCallbacks | undefined;
  readonly tokenProvider: TokenProvider | undefined;
  readonly debug: boolean;
  readonly preload: boolean;
}

/** The element's property table, of which the session reads which changes relaunch or rebuild. */
export type SessionPropertyTable = Readonly<Record<string, WinkPropertyDeclaration>>;
