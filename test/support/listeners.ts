// The window 'message' listeners a test leaves behind: a widget must leave none.

/** Tracks the window 'message' listeners added from now on that are still attached. */
export function messageListeners() {
  const live = new Set<unknown>();
  type Listen = (this: Window, type: string, listener: unknown, ...rest: unknown[]) => void;
  // Kept as they are, to be put back as they were.
  const add = Reflect.get(window, 'addEventListener') as Listen;
  const remove = Reflect.get(window, 'removeEventListener') as Listen;
  window.addEventListener = function (this: Window, type: string, listener: unknown, ...rest: unknown[]) {
    if (type === 'message') live.add(listener);
    add.call(this, type, listener, ...rest);
  } as typeof window.addEventListener;
  window.removeEventListener = function (this: Window, type: string, listener: unknown, ...rest: unknown[]) {
    if (type === 'message') live.delete(listener);
    remove.call(this, type, listener, ...rest);
  } as typeof window.removeEventListener;
  return {
    live,
    restore() {
      window.addEventListener = add as typeof window.addEventListener;
      window.removeEventListener = remove as typeof window.removeEventListener;
    },
  };
}
