/**
 * The socket address of a request that {@link toNodeHandler} made from Node's `(req, res)`: a
 * fetch `Request` has no place for it, so the adapter leaves it here for the handler.
 */
const addresses = new WeakMap<Request, string>();

export const setSocketAddress = (request: Request, address: string | undefined): void => {
  if (address) addresses.set(request, address);
};

export const socketAddress = (request: Request): string | undefined => addresses.get(request);
