/**
 * Checking options once, when a receiver, a stream or a bus is made, BullMQ-style: defaults in one
 * literal per maker, every number checked, and one error class per misuse: a `TypeError` for a
 * value of the wrong type, a `RangeError` for a number out of its range. Every message names the
 * maker and the option.
 */

/** How a number option may be. */
export interface NumberRule {
  /** The least value allowed (default: above 0). */
  min?: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** `Infinity` turns the bound off. */
  infinity?: boolean;
}

/** The checks of one maker's options; each reads `options[name]`, or its default when undefined. */
export function optionReader(maker: string, options: unknown) {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${maker} needs an options object`);
  const given = options as Record<string, unknown>;
  const say = (name: string, rule: string, value: unknown) =>
    `${maker}: ${name} must be ${rule} (got ${typeof value === 'string' ? JSON.stringify(value) : String(value)})`;
  return {
    /** A number option, with its default. */
    number(name: string, fallback: number, { min, integer = false, infinity = false }: NumberRule = {}): number {
      const value = given[name] === undefined ? fallback : given[name];
      const rule = `${integer ? 'a whole number' : 'a number'} ${min === undefined ? 'above 0' : `of at least ${min}`}${infinity ? ', or Infinity' : ''}`;
      if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(say(name, rule, value));
      if (value === Infinity && infinity) return value;
      const inRange = Number.isFinite(value) && (min === undefined ? value > 0 : value >= min);
      if (!inRange || (integer && !Number.isInteger(value))) throw new RangeError(say(name, rule, value));
      return value;
    },
    /** A function option, optional unless `required`. */
    fn<F>(name: string, { required = false } = {}): F | undefined {
      const value = given[name];
      if (value === undefined && !required) return undefined;
      if (typeof value !== 'function') throw new TypeError(say(name, 'a function', value));
      return value as F;
    },
    /** An option of any other type, checked by `is`. */
    of<T>(name: string, is: (value: unknown) => boolean, rule: string): T | undefined {
      const value = given[name];
      if (value !== undefined && !is(value)) throw new TypeError(say(name, rule, value));
      return value as T | undefined;
    },
  };
}

/** Calls a reporter of the integrator's, which must not change what the caller does when it throws. */
export function safely<A extends unknown[]>(report: ((...args: A) => void) | undefined): (...args: A) => void {
  return (...args) => {
    try {
      report?.(...args);
    } catch {
      // A failing reporter changes no answer.
    }
  };
}
