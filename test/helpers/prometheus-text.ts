/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests of GET /metrics
 * (prom-client writes the format but has no reader). It throws on the first line that breaks
 * the format, naming the line: names and label syntax, escapes, values, one HELP and one TYPE per
 * family before its samples, samples of a family together, no series twice, histogram buckets
 * cumulative with `+Inf` equal to `_count`, counters not negative, a final line feed; and, stricter
 * than the format, a TYPE line for every family.
 */

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help?: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<Family['type'], string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

function value(text: string, where: string): number {
  // Prometheus reads these with Go's ParseFloat, which takes them in any case: prom-client writes `Nan`
  // (e.g. nodejs_eventloop_lag_mean_seconds before the event-loop monitor has a sample).
  if (/^\+?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) throw new Error(`${where}: ${JSON.stringify(text)} is not a sample value`);
  return Number(text);
}

/** `{a="x",b="y"}` from index `at` (the brace); returns the labels and the index after `}`. */
function labelsAt(line: string, at: number, where: string): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = at + 1;
  while (line[i] !== '}') {
    const name = /^[^=]*/.exec(line.slice(i))![0];
    if (!LABEL_NAME.test(name)) throw new Error(`${where}: ${JSON.stringify(name)} is not a label name`);
    if (name in labels) throw new Error(`${where}: label ${name} twice`);
    i += name.length;
    if (line[i] !== '=' || line[i + 1] !== '"') throw new Error(`${where}: expected ="…" after label ${name}`);
    i += 2;
    let text = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) throw new Error(`${where}: label ${name} value not closed`);
      i++;
      if (c === '"') break;
      if (c !== '\\') text += c;
      else {
        const e = line[i++];
        if (e === 'n') text += '\n';
        else if (e === '\\' || e === '"') text += e;
        else throw new Error(`${where}: \\${e ?? ''} is not an escape in a label value`);
      }
    }
    labels[name] = text;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') throw new Error(`${where}: expected , or } after label ${name}`);
  }
  return { labels, end: i + 1 };
}

/** Families by name, in the order they appear. */
export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the text does not end with a line feed');
  const families = new Map<string, Family>();
  const finished = new Set<string>();
  const series = new Set<string>();
  const typed = new Set<string>();
  let current: Family | undefined;
  const familyOf = (sample: string) => [...families.values()].find((f) => SUFFIXES[f.type].some((s) => f.name + s === sample));
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const where = `line ${index + 1}`;
      if (line === '') return;
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (meta) {
        const [, kind, name, rest = ''] = meta;
        if (!NAME.test(name!)) throw new Error(`${where}: ${JSON.stringify(name)} is not a metric name`);
        if (finished.has(name!)) throw new Error(`${where}: ${kind} of ${name} after its samples`);
        const family = families.get(name!) ?? { name: name!, type: 'untyped' as const, samples: [] };
        if (current && current !== family) finished.add(current.name);
        current = family;
        families.set(name!, family);
        if (kind === 'HELP') {
          if (family.help !== undefined) throw new Error(`${where}: a second HELP for ${name}`);
          family.help = rest.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
        } else {
          if (!TYPES.has(rest)) throw new Error(`${where}: ${JSON.stringify(rest)} is not a metric type`);
          if (typed.has(family.name) || family.samples.length) throw new Error(`${where}: TYPE of ${name} twice or after its samples`);
          typed.add(family.name);
          family.type = rest as Family['type'];
        }
        return;
      }
      if (line.startsWith('#')) return;
      const name = /^[^{\s]*/.exec(line)![0];
      if (!NAME.test(name)) throw new Error(`${where}: ${JSON.stringify(name)} is not a metric name`);
      let labels: Record<string, string> = {};
      let i = name.length;
      if (line[i] === '{') ({ labels, end: i } = labelsAt(line, i, where));
      const rest = /^ +(\S+)(?: +(-?\d+))?$/.exec(line.slice(i));
      if (!rest) throw new Error(`${where}: expected a value (and an optional timestamp) after ${name}`);
      const family = familyOf(name) ?? (current?.name === name ? current : undefined);
      // The format allows a sample without TYPE (untyped); prom-client always writes one, so this check wants it.
      if (!family) throw new Error(`${where}: sample ${name} has no TYPE line before it`);
      if (family !== current || finished.has(family.name)) throw new Error(`${where}: sample ${name} apart from the other samples of ${family.name}`);
      const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (series.has(key)) throw new Error(`${where}: series ${key} twice`);
      series.add(key);
      const v = value(rest[1]!, where);
      if (family.type === 'counter' && !(v >= 0)) throw new Error(`${where}: counter ${name} is ${v}`);
      if (family.type === 'histogram' && name.endsWith('_bucket') && labels.le === undefined) throw new Error(`${where}: bucket without le`);
      family.samples.push({ name, labels, value: v });
    });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function checkHistogram(family: Family): void {
  const byLabels = new Map<string, Sample[]>();
  for (const s of family.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    byLabels.set(key, [...(byLabels.get(key) ?? []), s]);
  }
  for (const [key, samples] of byLabels) {
    const buckets = samples.filter((s) => s.name.endsWith('_bucket')).map((s) => ({ le: value(s.labels.le!, `${family.name} le`), n: s.value }));
    buckets.sort((a, b) => a.le - b.le);
    const count = samples.find((s) => s.name === `${family.name}_count`)?.value;
    if (buckets.at(-1)?.le !== Infinity || count === undefined || buckets.at(-1)!.n !== count)
      throw new Error(`${family.name}${key}: the +Inf bucket must equal _count`);
    if (samples.every((s) => s.name !== `${family.name}_sum`)) throw new Error(`${family.name}${key}: no _sum`);
    buckets.forEach((b, i) => {
      if (i > 0 && b.n < buckets[i - 1]!.n) throw new Error(`${family.name}${key}: bucket le=${b.le} holds fewer than the one before`);
    });
  }
}

/** The value of the one sample `name` whose labels include `labels`; 0 when there is none (a counter not yet moved). */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const found = [...families.values()].flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} series match`);
  return found[0]?.value ?? 0;
}
