/**
 * A map of each key to its members, for the streams and listeners of each user: a lone member is
 * held as itself, and a Set is made only for a second one. Most users have one page open, and a
 * Set for each would cost every stream its own hash table.
 */
export class Members<Member extends object> {
  readonly #map = new Map<string, Member | Set<Member>>();

  add(key: string, member: Member): void {
    const held = this.#map.get(key);
    if (held === undefined) this.#map.set(key, member);
    else if (held instanceof Set) held.add(member);
    else if (held !== member) this.#map.set(key, new Set([held, member]));
  }

  /** Removes `member` of `key`; true when it was one. */
  delete(key: string, member: Member): boolean {
    const held = this.#map.get(key);
    if (held === member) return this.#map.delete(key);
    if (!(held instanceof Set) || !held.delete(member)) return false;
    if (held.size === 1) this.#map.set(key, held.values().next().value!);
    return true;
  }

  count(key: string): number {
    const held = this.#map.get(key);
    return held === undefined ? 0 : held instanceof Set ? held.size : 1;
  }

  /** The members of `key`, as a list of their own: one may leave while the list is walked. */
  of(key: string): Member[] {
    const held = this.#map.get(key);
    return held === undefined ? [] : held instanceof Set ? [...held] : [held];
  }

  /** Calls `visit` with each member of `key`, with no list made for a lone one. */
  each(key: string, visit: (member: Member) => void): void {
    const held = this.#map.get(key);
    if (held === undefined) return;
    if (held instanceof Set) for (const member of [...held]) visit(member);
    else visit(held);
  }

  /** Every member of every key, each once. */
  all(): Set<Member> {
    const all = new Set<Member>();
    for (const held of this.#map.values()) {
      if (held instanceof Set) for (const member of held) all.add(member);
      else all.add(held);
    }
    return all;
  }

  clear(): void {
    this.#map.clear();
  }
}
