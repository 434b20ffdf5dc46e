/** One sample line of the Prometheus text format. */
export interface TextSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** `name{a="x",b="y"} 12` (optionally followed by a timestamp); undefined when malformed. */
export function parseLine(line: string): TextSample | undefined {
  const brace = line.indexOf('{');
  const close = line.lastIndexOf('}');
  if (brace <= 0 || close < brace) return undefined;
  const labels = parseLabels(line.slice(brace + 1, close));
  if (labels === undefined) return undefined;
  const rest = line.slice(close + 1).trim();
  const space = rest.indexOf(' ');
  const value = parseValue(space === -1 ? rest : rest.slice(0, space));
  if (value === undefined) return undefined;
  return { name: line.slice(0, brace), labels, value };
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isNaN(value) && text !== 'NaN' ? undefined : value;
}

/** `a="x",b="y\"z"`: label values may hold escaped quotes, backslashes and newlines. */
function parseLabels(body: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const eq = body.indexOf('=', i);
    if (eq === -1 || body[eq + 1] !== '"') return undefined;
    const key = body.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    for (; j < body.length && body[j] !== '"'; j++) {
      if (body[j] === '\\') {
        j++;
        value += body[j] === 'n' ? '\n' : (body[j] ?? '');
      } else value += body[j];
    }
    if (j >= body.length) return undefined;
    labels[key] = value;
    i = j + 1;
    if (body[i] === ',') i++;
  }
  return labels;
}
