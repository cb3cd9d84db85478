/**
 * Cross-field rules that a per-key schema cannot say. Each is a small function from a config
 * that passed the schema to problems with key paths (changesets' `Rule` pattern).
 */
import { defaultAlias, kindOf, type ServiceFacts } from '../axes/index.js';
import { formatPath, type KeyPath, type Problem } from './problems.js';
import type { AxisMatch, MatrixConfig } from './schema.js';

type Rule = (config: MatrixConfig) => Problem[];

const axisList = (c: MatrixConfig) => Object.keys(c.axes).join(', ');

/** Every key of a rule names an axis, with a value its kind understands; at least one key. */
function matchProblems(c: MatrixConfig, rule: Record<string, unknown>, at: KeyPath): Problem[] {
  const keys = Object.keys(rule).filter((k) => k !== 'reason');
  if (keys.length === 0) return [{ path: at, message: `expected at least one of ${axisList(c)}, found none` }];
  return keys.flatMap((k): Problem[] => {
    const axis = c.axes[k];
    if (!axis) return [{ path: [...at, k], atKey: true, message: `expected an axis name (${axisList(c)}), found ${JSON.stringify(k)}` }];
    const why = kindOf(axis).matchProblem(rule[k] as AxisMatch, axis as never);
    return why ? [{ path: [...at, k], message: `expected ${why}` }] : [];
  });
}

const rulesMatchSomething: Rule = (c) => [
  ...(['exclude', 'allow-failure'] as const).flatMap((list) => c[list].flatMap((rule, i) => matchProblems(c, rule, [list, i]))),
  ...c.install.when.flatMap((w, i) => matchProblems(c, w.match, ['install', 'when', i, 'match'])),
];

/** An include names axes of the matrix, at least one. */
const includesNameAxes: Rule = (c) =>
  c.include.flatMap((inc, i): Problem[] => {
    const keys = Object.keys(inc);
    if (keys.length === 0) return [{ path: ['include', i], message: `expected at least one of ${axisList(c)}, found none` }];
    return keys
      .filter((k) => !c.axes[k])
      .map((k) => ({ path: ['include', i, k], atKey: true, message: `expected an axis name (${axisList(c)}), found ${JSON.stringify(k)}` }));
  });

/** Exactly one runtime axis: the Node every cell runs on. At most one model axis, with at least one variant. */
const oneRuntime: Rule = (c) => {
  const of = (kind: string) =>
    Object.entries(c.axes)
      .filter(([, a]) => a.kind === kind)
      .map(([n]) => n);
  const runtimes = of('runtime');
  const models = of('model');
  const problems: Problem[] = [];
  if (runtimes.length === 0)
    problems.push({ path: ['axes'], message: "expected one axis of kind runtime (e.g. node: {kind: runtime, versions: ['20', '24']}), found none" });
  if (runtimes.length > 1)
    problems.push({ path: ['axes', runtimes[1]!], message: `expected one axis of kind runtime, found a second (${runtimes.join(', ')})` });
  if (models.length > 1)
    problems.push({ path: ['axes', models[1]!], message: `expected at most one axis of kind model, found a second (${models.join(', ')})` });
  for (const name of models) {
    const axis = c.axes[name];
    // An axis without values would leave the matrix without cells, silently.
    if (axis?.kind === 'model' && Object.keys(axis.variants).length === 0)
      problems.push({ path: ['axes', name, 'variants'], message: 'expected at least one variant (e.g. fp32: {folder: service/model/zh-en}), found none' });
  }
  return problems;
};

/** A package is on one axis only, and once on it. */
const packagesOnce: Rule = (c) => {
  const seen = new Map<string, string>();
  return Object.entries(c.axes).flatMap(([name, axis]): Problem[] => {
    if (axis.kind !== 'package' && axis.kind !== 'alternatives') return [];
    const entries =
      axis.kind === 'package'
        ? [{ pkg: axis.package ?? name, at: (axis.package ? ['axes', name, 'package'] : ['axes', name]) as KeyPath }]
        : axis.packages.map((e, i) => ({ pkg: typeof e === 'string' ? e : e.package, at: ['axes', name, 'packages', i] as KeyPath }));
    return entries.flatMap(({ pkg, at }): Problem[] => {
      const first = seen.get(pkg);
      if (first === undefined) {
        seen.set(pkg, formatPath(at));
        return [];
      }
      return [
        {
          path: at,
          message: `expected each package on one axis, once, found ${JSON.stringify(pkg)} again (first at ${first}); list its versions in one entry`,
        },
      ];
    });
  });
};

/**
 * Cell names must tell cells apart: labels of different packages may not share an alias, given or
 * default. Checked when planning: the default aliases of tokenizer libraries are the service's.
 */
export function aliasesDistinct(c: MatrixConfig, service: ServiceFacts): Problem[] {
  const seen = new Map<string, string>();
  return Object.entries(c.axes).flatMap(([name, axis]): Problem[] => {
    const list: { alias: string | undefined; pkg: string; at: KeyPath }[] =
      axis.kind === 'package'
        ? [{ alias: axis.alias ?? name, pkg: axis.package ?? name, at: ['axes', name, 'alias'] }]
        : axis.kind === 'alternatives'
          ? axis.packages.map((e, i) => {
              const pkg = typeof e === 'string' ? e : e.package;
              const alias = (typeof e === 'string' ? undefined : e.alias) ?? defaultAlias(pkg, service);
              return { alias, pkg, at: ['axes', name, 'packages', i, 'alias'] as KeyPath };
            })
          : axis.kind === 'runtime'
            ? [{ alias: axis.alias, pkg: axis.source, at: ['axes', name, 'alias'] }]
            : [];
    return list.flatMap(({ alias, pkg, at }): Problem[] => {
      if (!alias) return [];
      const other = seen.get(alias);
      seen.set(alias, pkg);
      return other && other !== pkg ? [{ path: at, message: `expected a distinct alias, found ${JSON.stringify(alias)} (already used by ${other})` }] : [];
    });
  });
}

/** A variant's `compare.with` names another variant of its axis. */
const compareNamesVariant: Rule = (c) =>
  Object.entries(c.axes).flatMap(([name, axis]) =>
    axis.kind !== 'model'
      ? []
      : Object.entries(axis.variants).flatMap(([variant, v]): Problem[] =>
          v.compare && (v.compare.with === variant || !(v.compare.with in axis.variants))
            ? [
                {
                  path: ['axes', name, 'variants', variant, 'compare', 'with'],
                  message: `expected another variant of axes.${name} (${
                    Object.keys(axis.variants)
                      .filter((k) => k !== variant)
                      .join(', ') || 'none'
                  }), found ${JSON.stringify(v.compare.with)}`,
                },
              ]
            : [],
        ),
  );

/** A variant's `compare.gain` names benchmarks the run scores: `benchmark` or smoke.extra-benchmarks. */
const gainNamesBenchmark: Rule = (c) => {
  const known = ['benchmark', ...Object.keys(c.smoke['extra-benchmarks'])];
  return Object.entries(c.axes).flatMap(([name, axis]) =>
    axis.kind !== 'model'
      ? []
      : Object.entries(axis.variants).flatMap(([variant, v]) =>
          Object.keys(v.compare?.gain ?? {})
            .filter((b) => !known.includes(b))
            .map(
              (b): Problem => ({
                path: ['axes', name, 'variants', variant, 'compare', 'gain', b],
                message: `expected a benchmark the run scores (${known.join(', ')}; more go in smoke.extra-benchmarks), found ${JSON.stringify(b)}`,
              }),
            ),
        ),
  );
};

/** report.rows / report.columns name axes, each at most once. */
const reportAxes: Rule = (c) =>
  (['rows', 'columns'] as const).flatMap((k) =>
    (c.report[k] ?? []).flatMap((n, i): Problem[] => {
      if (!c.axes[n]) return [{ path: ['report', k, i], message: `expected an axis name (${axisList(c)}), found ${JSON.stringify(n)}` }];
      const other = k === 'rows' ? c.report.columns : c.report.rows;
      return other?.includes(n) ? [{ path: ['report', k, i], message: `expected an axis on rows or on columns, found ${JSON.stringify(n)} on both` }] : [];
    }),
  );

const imagePlaceholders: Rule = (c) => {
  const { base, 'local-base': localBase } = c.image;
  const problems: Problem[] = [];
  if (!base.includes('{node')) {
    const message = `expected a {node} or {node-major} placeholder (one base per Node version), found ${JSON.stringify(base)}`;
    problems.push({ path: ['image', 'base'], message });
  }
  // The local base is built from one exact Node release: by major alone, two releases of a major would share one tag.
  if (!localBase.includes('{node}')) {
    const message = `expected a {node} placeholder (built from that exact Node release), found ${JSON.stringify(localBase)}`;
    problems.push({ path: ['image', 'local-base'], message });
  }
  return problems;
};

export const RULES: Rule[] = [
  oneRuntime,
  includesNameAxes,
  rulesMatchSomething,
  packagesOnce,
  compareNamesVariant,
  gainNamesBenchmark,
  reportAxes,
  imagePlaceholders,
];
