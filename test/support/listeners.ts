// The window 'message' listeners a test leaves behind: a widget must leave none.

/** Tracks the window 'message' listeners added from now on that are still attached. */
export function messageListeners() {
  const live = new Set<unknown>();
  const add = window.addEventListener;
  const remove = window.removeEventListener;
  window.addEventListener = function (this: Window, type: string, listener: unknown, ...rest: unknown[]) {
    if (type === 'message') live.add(listener);
    return (add as Function).call(this, type, listener, ...rest);
  } as typeof add;
  window.removeEventListener = function (this: Window, type: string, listener: unknown, ...rest: unknown[]) {
    if (type === 'message') live.delete(listener);
    return (remove as Function).call(this, type, listener, ...rest);
  } as typeof remove;
  return {
    live,
    restore() {
      window.addEventListener = add;
      window.removeEventListener = remove;
    },
  };
}
