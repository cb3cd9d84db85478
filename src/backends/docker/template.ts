/**
 * Renders Dockerfile.template for one cell. Pure: values are checked against an allow-list
 * here too (defence in depth after config validation), and the install command is emitted in
 * exec form, so no value ever passes through a shell.
 *
 * `{{dependencies}}` splits the template (renderStages): the lines above it are the prelude every
 * cell of a Node version shares, the lines below it the cell's own, built on the dependencies
 * image its shared install made (install.ts). renderDockerfile renders it whole, with the install
 * in the build (`run.install: per-cell`).
 */
import { UserError, at } from '../../errors.js';

export interface TemplateValues {
  base_image: string;
  node: string;
  cell_id: string;
  /** Environment for the install step (already validated keys and values). */
  install_env: Record<string, string>;
  /** The full install command, argv form. */
  npm_install: string[];
  /** Environment the service starts with (the model variant's files), baked into the image. */
  service_env?: Record<string, string>;
}

/** The line {{dependencies}} becomes before the rendered template is split in two. */
const MARK = '# {{dependencies}}: the shared install goes here';

const envLine = (env: Record<string, string>) => {
  const pairs = Object.entries(env)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return pairs.length ? `ENV ${pairs.join(' ')}` : '';
};

const SAFE = /^[A-Za-z0-9@._/:=+,-]*$/;

/** The whole template, with `npm ci` in the build (per-cell install, from an empty npm cache). */
export function renderDockerfile(template: string, values: TemplateValues, file = 'Dockerfile.template'): string {
  const dependencies = [
    'COPY cell/package.json cell/package-lock.json cell/.npmrc ./',
    'ARG npm_config_registry',
    envLine(values.install_env),
    `RUN ${JSON.stringify(values.npm_install)}`,
  ].filter(Boolean);
  return render(template, values, dependencies.join('\n'), file);
}

/** The prelude (above {{dependencies}}) and the cell's part (below it), which starts FROM the image of its install. */
export function renderStages(template: string, values: TemplateValues, file = 'Dockerfile.template'): { prelude: string; cell(from: string): string } {
  const [prelude, below] = render(template, values, MARK, file).split(`\n${MARK}\n`) as [string, string];
  return { prelude: `${prelude}\n`, cell: (from) => `FROM ${checked(from, 'the dependencies image', file)}\n${below}` };
}

/** Pure: `du -s -B1` lines ("<bytes>\t<name>") → the top-level packages' sizes (scoped ones as @scope/name). */
export function packageSizesOf(du: string): { name: string; bytes: number }[] {
  return (
    du
      .split('\n')
      .map((line) => /^(\d+)\s+(\S+)$/.exec(line.trim()))
      // A scope's own folder counts in its packages; a glob that matched nothing is not a package.
      .filter((m): m is RegExpExecArray => Boolean(m) && /^(@[^/*]+\/)?[^@/*.][^/*]*$/.test(m![2]!))
      .map((m) => ({ name: m[2]!, bytes: Number(m[1]) }))
  );
}

/** Packages of at least this size get a layer of their own in a dependencies image. */
const BIG_PACKAGE_BYTES = 8 * 1024 * 1024;

/** Pure: which installed packages get a layer of their own (in name order, so equal sets give equal layers). */
export function bigPackages(sizes: { name: string; bytes: number }[], min = BIG_PACKAGE_BYTES): string[] {
  return sizes
    .filter((p) => p.bytes >= min)
    .map((p) => p.name)
    .sort();
}

/**
 * One LABEL instruction for all of an image's labels: the builder makes a step (and an image) of
 * each label it is given as an option, about 0.1 s apiece. Keys and values are double-quoted.
 */
export function labelLine(labels: Record<string, string>, file = 'Dockerfile.template'): string {
  const quoted = (s: string) => {
    if (/["\\\n\r$]/.test(s)) throw new UserError(`${file}: label ${JSON.stringify(s)} has characters not allowed in a Dockerfile label`);
    return `"${s}"`;
  };
  const pairs = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return pairs.length ? `LABEL ${pairs.map(([k, v]) => `${quoted(k)}=${quoted(v)}`).join(' ')}\n` : '';
}

function checked(value: string, what: string, file: string): string {
  if (!SAFE.test(value) || !value) throw new UserError(`${file}: ${what} ${JSON.stringify(value)} has characters not allowed in a Dockerfile`);
  return value;
}

function render(template: string, values: TemplateValues, dependencies: string, file: string): string {
  const scalar: Record<string, string> = { base_image: values.base_image, node: values.node, cell_id: values.cell_id };
  for (const [k, v] of Object.entries(scalar)) {
    if (!SAFE.test(v)) throw new UserError(`${file}: value of {{${k}}} has characters not allowed in a Dockerfile: ${JSON.stringify(v)}`);
  }
  for (const [what, env] of [
    ['install', values.install_env],
    ['service', values.service_env ?? {}],
  ] as const) {
    for (const [k, v] of Object.entries(env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || !SAFE.test(v)) {
        throw new UserError(`${file}: ${what} env ${JSON.stringify(k)}=${JSON.stringify(v)} is not allowed in a Dockerfile`);
      }
    }
  }
  if (Object.keys(values.service_env ?? {}).length && !/\{\{\s*service_env\s*\}\}/.test(template)) {
    throw new UserError(`${file}: expected a {{service_env}} line (the model variant's files reach the service through it), found none`);
  }
  for (const arg of values.npm_install) {
    if (!SAFE.test(arg)) throw new UserError(`${file}: install argument ${JSON.stringify(arg)} is not allowed in a Dockerfile`);
  }
  if (!/^\s*\{\{\s*dependencies\s*\}\}\s*$/m.test(template)) {
    throw new UserError(`${file}: expected a line {{dependencies}} (where the cell's npm ci goes, between the shared layers and the cell's own), found none`);
  }
  const rendered: Record<string, string> = {
    ...scalar,
    dependencies,
    service_env: envLine(values.service_env ?? {}),
  };
  return (
    template
      .split('\n')
      // Comment lines are left as written: a placeholder there is text, not an instruction.
      .map((line, i) =>
        /^\s*#/.test(line)
          ? line
          : line.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_m, key: string) => {
              const v = rendered[key];
              if (v === undefined)
                throw new UserError(
                  at(file, i + 1, line.indexOf('{{') + 1, `unknown placeholder {{${key}}}, expected one of ${Object.keys(rendered).join(', ')}`),
                );
              return v;
            }),
      )
      .join('\n')
  );
}
