/**
 * Whole-value regex matching as Envoy (RE2 full match) and the Linkerd proxy (anchored at both ends)
 * do. A leading `(?i)` (RE2's case-insensitive flag, which JavaScript lacks) becomes the `i` flag.
 * Compiled once per pattern.
 */
const compiled = new Map<string, RegExp>();

export function matchesWhole(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    const ignoreCase = pattern.startsWith('(?i)');
    re = new RegExp(`^(?:${ignoreCase ? pattern.slice(4) : pattern})$`, ignoreCase ? 'i' : '');
    compiled.set(pattern, re);
  }
  return re.test(value);
}
