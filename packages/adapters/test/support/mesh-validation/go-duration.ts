const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/**
 * Nanoseconds of a Go duration (time.ParseDuration: `-1s`, `1h30m`, `0.4ms`, `0`), or undefined when
 * Go would not parse it. The meshes parse durations with it (Consul, and Istio via the protobuf
 * Duration's JSON form for `<seconds>s`), then apply their own bounds.
 */
export function goDurationNs(text: string): number | undefined {
  const m = /^([-+]?)(.*)$/.exec(text)!;
  const body = m[2]!;
  if (body === '0') return 0;
  if (body === '') return undefined;
  let total = 0;
  let rest = body;
  while (rest.length > 0) {
    const part = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (part === null || part[1] === '' || part[1] === '.') return undefined;
    total += Number(part[1]) * UNIT_NS[part[2]!]!;
    rest = rest.slice(part[0].length);
  }
  return m[1] === '-' ? -total : total;
}
