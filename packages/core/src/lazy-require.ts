import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A CommonJS dependency loaded on first use, once. The YAML parser and the JSON Schema compiler take
 * ~70 ms to load; importing core for a constant (`anymesh version`, the dashboard's types) should not
 * pay for them. Only for packages whose `require` and `import` resolve to the same file (no second copy).
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(id) as T);
}
