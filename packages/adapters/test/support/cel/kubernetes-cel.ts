import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import { rewriteHasMacros } from './has-rewrite.js';

/**
 * A URL as the Kubernetes CEL URL library sees it (k8s.io/apiserver/pkg/cel/library/urls.go):
 * `url(s)` accepts an absolute URI or an absolute path and errors on anything else.
 */
class KubernetesUrl {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
  ) {}
}

function parseKubernetesUrl(text: string): KubernetesUrl {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) {
    const url = new URL(text); // throws on an invalid absolute URI, as url() errors
    return new KubernetesUrl(url.protocol.slice(0, -1), url.host, url.pathname);
  }
  if (text.startsWith('/')) return new KubernetesUrl('', '', text.split(/[?#]/)[0]!);
  throw new Error(`URL parse error during conversion from string: ${text} is neither an absolute URI nor an absolute path`);
}

function isKubernetesUrl(text: string): boolean {
  try {
    parseKubernetesUrl(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The CEL environment of the Kubernetes API server, as far as the vendored CRDs use it: the
 * standard macros and functions of our library, plus the Kubernetes URL library. `self` is dynamic.
 */
const environment = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false })
  .registerType('URL', { ctor: KubernetesUrl })
  .registerFunction('url(string): URL', parseKubernetesUrl)
  .registerFunction('isURL(string): bool', isKubernetesUrl)
  .registerFunction('URL.getScheme(): string', (u: KubernetesUrl) => u.scheme)
  .registerFunction('URL.getHost(): string', (u: KubernetesUrl) => u.host)
  .registerFunction('URL.getEscapedPath(): string', (u: KubernetesUrl) => u.path);

const compiled = new Map<string, ParseResult>();

/** A CRD rule compiled once (with `has()` on indexed values rewritten, see has-rewrite.ts). */
export function compileRule(rule: string): ParseResult {
  let program = compiled.get(rule);
  if (!program) {
    program = environment.parse(rewriteHasMacros(rule));
    compiled.set(rule, program);
  }
  return program;
}

/** Why a rule cannot be evaluated by this environment (unknown function, unsupported macro), or undefined when it can. */
export function ruleProblem(rule: string): string | undefined {
  try {
    const check = compileRule(rule).check();
    return check.valid ? undefined : (check.error?.message.split('\n')[0] ?? 'invalid');
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}
