/** A tiny element builder for the simulator's screens. */
type Child = Node | string | false | null | undefined;

export interface Props {
  className?: string;
  text?: string;
  attrs?: Record<string, string | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    (element as HTMLElement).addEventListener(type, listener as EventListener);
  }
  for (const child of children.flat()) {
    if (child !== false && child != null) element.append(child);
  }
  return element;
}

let ids = 0;
/** A document-unique id, for label/input pairs. */
export const uid = (prefix: string) => `${prefix}-${++ids}`;

/** A labelled input: the label's `for` and the input's `id` always match. */
export function field(
  label: string,
  attrs: Record<string, string | boolean | undefined>,
): { wrapper: HTMLElement; input: HTMLInputElement } {
  const id = uid('sim-field');
  const input = h('input', { attrs: { id, ...attrs } });
  const wrapper = h('div', { className: 'field' }, h('label', { text: label, attrs: { for: id } }), input);
  return { wrapper, input };
}

/** 24 hex characters, for simulated account and upload ids. */
export function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Makes a scrolling container a Tab stop while, and only while, its content overflows it, so
 * that keyboard users can scroll it in every engine. Firefox does this for any overflowing
 * scroller on its own; Chromium and WebKit don't when the scroller holds focusable content, which
 * left text below the fold out of a keyboard user's reach. Returns a function that stops watching.
 */
export function focusableWhileOverflowing(element: HTMLElement): () => void {
  const update = () => {
    if (element.scrollHeight > element.clientHeight) element.setAttribute('tabindex', '0');
    else element.removeAttribute('tabindex');
  };
  const observer = new ResizeObserver(update);
  observer.observe(element);
  for (const child of element.children) observer.observe(child);
  return () => observer.disconnect();
}
