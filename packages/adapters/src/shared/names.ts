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
  /** Per space and namespace: who holds each name, and the name given to each owner (no composite string keys: 100,000s of claims). */
  readonly #scopes = new Map<string, Map<string, { holders: Map<string, string>; given: Map<string, string> }>>();

  #scope(space: string, namespace: string): { holders: Map<string, string>; given: Map<string, string> } {
    let spaces = this.#scopes.get(space);
    if (!spaces) this.#scopes.set(space, (spaces = new Map()));
    let scope = spaces.get(namespace);
    if (!scope) spaces.set(namespace, (scope = { holders: new Map(), given: new Map() }));
    return scope;
  }

  /** Marks a name as taken by an object the user wrote (or one with a fixed name). */
  reserve(space: string, namespace: string, name: string, owner: string): void {
    const { holders, given } = this.#scope(space, namespace);
    if (!holders.has(name)) holders.set(name, owner);
    given.set(owner, name);
  }

  /** The name of `owner`'s object: `preferred` when it is free and within `max`, else a hashed variant. */
  claim(space: string, namespace: string, preferred: string, owner: string, max = DNS_LABEL_MAX): string {
    const { holders, given } = this.#scope(space, namespace);
    const known = given.get(owner);
    if (known !== undefined) return known;
    const isFree = (name: string) => {
      const holder = holders.get(name);
      return holder === undefined || holder === owner;
    };
    let name = preferred;
    for (let attempt = 0; name.length > max || !isFree(name); attempt++) name = hashed(preferred, owner, max, attempt);
    holders.set(name, owner);
    given.set(owner, name);
    return name;
  }
}
