/** Kubernetes Service names and DNS labels: at most 63 characters. */
export const DNS_LABEL_MAX = 63;
/** Names of other Kubernetes objects (DNS-1123 subdomains): at most 253 characters. */
export const OBJECT_NAME_MAX = 253;

/** FNV-1a, 32 bits, as 8 hex digits: a stable, dependency-free hash of an owner key (pure, also in the browser). */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** `<preferred, cut to fit>-<hash>`: within `max`, never ending in `-` before the suffix. */
function hashed(preferred: string, owner: string, max: number, attempt: number): string {
  const suffix = `-${shortHash(attempt === 0 ? owner : `${owner}#${attempt}`)}`;
  const head = preferred.slice(0, max - suffix.length).replace(/-+$/, '');
  return `${head}${suffix}`;
}

/**
 * Hands out the names of generated objects so that two different neutral things never get one name
 * (applying the second would silently overwrite the first) and no name exceeds its limit. A name is
 * unique per `space` (a Kubernetes kind, or a mesh's own name space such as Consul service names) and
 * namespace. The preferred, readable name is used when it fits and no other owner holds it; otherwise
 * the name is the preferred one, cut to fit, with a stable hash of the owner: never silently truncated
 * to something another owner could also get. Names of objects the user wrote are reserved first, so a
 * generated object can never take one. The same owner asking again gets the same name.
 */
export class NameAllocator {
  readonly #holders = new Map<string, string>();
  readonly #given = new Map<string, string>();

  /** Marks a name as taken by an object the user wrote (or one with a fixed name). */
  reserve(space: string, namespace: string, name: string, owner: string): void {
    const key = `${space}\u0000${namespace}\u0000${name}`;
    if (!this.#holders.has(key)) this.#holders.set(key, owner);
    this.#given.set(`${space}\u0000${namespace}\u0000\u0000${owner}`, name);
  }

  /** The name of `owner`'s object: `preferred` when it is free and within `max`, else a hashed variant. */
  claim(space: string, namespace: string, preferred: string, owner: string, max = DNS_LABEL_MAX): string {
    const ownerKey = `${space}\u0000${namespace}\u0000\u0000${owner}`;
    const given = this.#given.get(ownerKey);
    if (given !== undefined) return given;
    const free = (name: string) => {
      const holder = this.#holders.get(`${space}\u0000${namespace}\u0000${name}`);
      return holder === undefined || holder === owner;
    };
    let name = preferred;
    for (let attempt = 0; name.length > max || !free(name); attempt++) name = hashed(preferred, owner, max, attempt);
    this.#holders.set(`${space}\u0000${namespace}\u0000${name}`, owner);
    this.#given.set(ownerKey, name);
    return name;
  }
}
