import { RE2JS } from 're2js';

/** A compiled RE2 expression matched against whole values (anchored), in linear time. */
export interface CompiledRegex {
  readonly source: string;
  matchesWhole(value: string): boolean;
}

/** Compiles an RE2 expression or returns the parser's reason. */
export function compileRegex(source: string, ignoreCase = false): CompiledRegex | { error: string } {
  try {
    const re = RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    return { source, matchesWhole: (value: string) => re.matches(value) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export function mustCompileRegex(source: string, ignoreCase = false): CompiledRegex {
  const compiled = compileRegex(source, ignoreCase);
  if ('error' in compiled) throw new TypeError(`invalid RE2 expression ${JSON.stringify(source)}: ${compiled.error}`);
  return compiled;
}
