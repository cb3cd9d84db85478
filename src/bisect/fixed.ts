/**
 * The values the other axes keep while one is bisected, each in the form `matrix plan --json`
 * shows (1.14.0, @huggingface/tokenizers@0.2.0, fp32): `--with <axis>=<value>`, else the golden
 * cell's (golden.lock.json), else the first planned cell's.
 */
export type FixedAxes = Record<string, { value: string; from: string }>;

export interface FixedInputs {
  /** Every axis of matrix.yaml, in order. */
  axes: string[];
  bisected: string;
  /** The raw `--with` arguments. */
  withs: string[];
  /** Axis name → shown value of the golden cell, when there is a golden lock. */
  golden?: Record<string, string>;
  goldenFile?: string;
  /** Axis name → shown value of the first planned cell, when one is planned. */
  first?: Record<string, string>;
}

export function fixedAxes(inputs: FixedInputs): { fixed: FixedAxes } | { problem: string } {
  const given: Record<string, string> = {};
  for (const w of inputs.withs) {
    const eq = w.indexOf('=');
    const [axis, value] = eq > 0 ? [w.slice(0, eq), w.slice(eq + 1)] : [w, ''];
    if (!value)
      return {
        problem: `--with ${w}: expected <axis>=<value>, e.g. ${inputs.axes.find((a) => a !== inputs.bisected) ?? 'axis'}=<value as \`matrix plan --json\` shows it>`,
      };
    if (!inputs.axes.includes(axis)) return { problem: `--with ${w}: unknown axis ${JSON.stringify(axis)} (matrix.yaml has ${inputs.axes.join(', ')})` };
    if (axis === inputs.bisected) return { problem: `--with ${w}: ${axis} is the axis being bisected` };
    if (axis in given && given[axis] !== value) return { problem: `--with ${w}: ${axis} is already given as ${given[axis]}` };
    given[axis] = value;
  }
  const fixed: FixedAxes = {};
  for (const axis of inputs.axes) {
    if (axis === inputs.bisected) continue;
    const golden = inputs.golden?.[axis];
    const first = inputs.first?.[axis];
    if (given[axis] !== undefined) fixed[axis] = { value: given[axis], from: '--with' };
    else if (golden !== undefined) fixed[axis] = { value: golden, from: inputs.goldenFile ?? 'the golden lock' };
    else if (first !== undefined) fixed[axis] = { value: first, from: 'the first planned cell' };
    else return { problem: `no value for ${axis}: no golden lock has it and no cell is planned; pass --with ${axis}=<value>` };
  }
  return { fixed };
}
