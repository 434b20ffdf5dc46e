import { namespaceOf, selectorOf, type Service } from '@anymesh/core';

/** Whether two selectors can pick one pod: no label is required with two different values. */
export function selectorsMayShare(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === undefined || b[k] === v);
}

/** Services of one namespace whose selectors use the same label keys. */
interface Shape {
  readonly keys: ReadonlySet<string>;
  readonly services: Service[];
}

interface NamespaceIndex {
  /** `key=value` → services whose selector requires it. */
  readonly byLabel: Map<string, Service[]>;
  /** Sorted key list → shape; few in practice (most services select by `app`). */
  readonly shapes: Map<string, Shape>;
}

const labelKey = (key: string, value: string) => `${key}\u0000${value}`;

/**
 * Which services of a namespace may select the same pods as a given one, indexed once. A mate
 * either requires the same value for a label of the selector or lacks that label; the lookup
 * starts from the selector's label with the fewest such candidates, so its cost follows the
 * answer, not the number of services (the usual `app: <name>` selectors give one candidate).
 */
export class PodMates {
  private readonly namespaces = new Map<string, NamespaceIndex>();
  private readonly memo = new Map<Service, readonly Service[]>();

  constructor(services: Iterable<Service>) {
    for (const service of services) this.add(service);
  }

  matesOf(service: Service): readonly Service[] {
    let mates = this.memo.get(service);
    if (!mates) {
      mates = this.find(service);
      this.memo.set(service, mates);
    }
    return mates;
  }

  private add(service: Service): void {
    const ns = namespaceOf(service);
    let index = this.namespaces.get(ns);
    if (!index) this.namespaces.set(ns, (index = { byLabel: new Map(), shapes: new Map() }));
    const selector = selectorOf(service);
    for (const [k, v] of Object.entries(selector)) push(index.byLabel, labelKey(k, v), service);
    const keys = Object.keys(selector).sort();
    const shapeKey = keys.join('\u0000');
    let shape = index.shapes.get(shapeKey);
    if (!shape) index.shapes.set(shapeKey, (shape = { keys: new Set(keys), services: [] }));
    shape.services.push(service);
  }

  private find(service: Service): Service[] {
    const index = this.namespaces.get(namespaceOf(service));
    if (!index) return [];
    const selector = selectorOf(service);
    const candidates = this.candidates(index, selector);
    return candidates.filter((s) => s !== service && selectorsMayShare(selector, selectorOf(s)));
  }

  /** Every possible mate, from the selector label that admits the fewest. */
  private candidates(index: NamespaceIndex, selector: Record<string, string>): Service[] {
    const shapes = [...index.shapes.values()];
    let best: Service[] | undefined;
    for (const [k, v] of Object.entries(selector)) {
      const same = index.byLabel.get(labelKey(k, v)) ?? [];
      const lacking = shapes.filter((shape) => !shape.keys.has(k));
      const size = same.length + lacking.reduce((n, shape) => n + shape.services.length, 0);
      if (best === undefined || size < best.length) best = [...same, ...lacking.flatMap((shape) => shape.services)];
    }
    return best ?? shapes.flatMap((shape) => shape.services);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
