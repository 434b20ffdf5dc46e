/** One sample of the Prometheus text exposition format. */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/**
 * Parses the text format prom-client writes. Only the metric names asked for are kept, so a
 * sidecar's process metrics cost nothing. Malformed lines are skipped: a scrape never throws.
 */
export function parsePromText(text: string, wanted: ReadonlySet<string>): PromSample[] {
  const samples: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const [, name = '', labelText = '', valueText = ''] = m;
    if (!wanted.has(name)) continue;
    const value = Number(valueText === '+Inf' ? Infinity : valueText);
    if (Number.isNaN(value)) continue;
    const labels: Record<string, string> = {};
    for (const l of labelText.matchAll(LABEL)) labels[l[1] ?? ''] = unescape(l[2] ?? '');
    samples.push({ name, labels, value });
  }
  return samples;
}
