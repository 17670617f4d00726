/**
 * The `debug` attribute's hook: the element names each protocol step here, and the text of the
 * log is loaded (once, on first use) from `debug-log.js`, so that it costs nothing to pages that
 * leave `debug` off.
 */
type DebugLog = typeof import('./debug-log.js');

let debugLog: Promise<DebugLog> | undefined;

/** Logs one step of `host`'s protocol, with `token` redacted from everything it shows. */
export function trace(host: Element, step: string, detail: unknown, token: string | undefined): void {
  (debugLog ??= import('./debug-log.js')).then(
    (module) => module.log(host, step, detail, token),
    () => undefined,
  );
}
