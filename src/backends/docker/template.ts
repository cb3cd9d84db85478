/**
 * Renders Dockerfile.template for one cell. Pure: values are checked against an allow-list
 * here too (defence in depth after config validation), and the install command is emitted in
 * exec form, so no value ever passes through a shell.
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

const envLine = (env: Record<string, string>) => {
  const pairs = Object.entries(env)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return pairs.length ? `ENV ${pairs.join(' ')}` : '';
};

const SAFE = /^[A-Za-z0-9@._/:=+,-]*$/;

export function renderDockerfile(template: string, values: TemplateValues, file = 'Dockerfile.template'): string {
  const scalar: Record<string, string> = { base_image: values.base_image, node: values.node, cell_id: values.cell_id };
  for (const [k, v] of Object.entries(scalar)) {
    if (!SAFE.test(v)) throw new UserError(`${file}: value of {{${k}}} has characters not allowed in a Dockerfile: ${JSON.stringify(v)}`);
  }
  for (const [what, env] of [['install', values.install_env], ['service', values.service_env ?? {}]] as const) {
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
  const rendered: Record<string, string> = {
    ...scalar,
    install_env: envLine(values.install_env),
    service_env: envLine(values.service_env ?? {}),
    npm_install: JSON.stringify(values.npm_install),
  };
  return template
    .split('\n')
    .map((line, i) =>
      line.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_m, key: string) => {
        const v = rendered[key];
        if (v === undefined) throw new UserError(at(file, i + 1, line.indexOf('{{') + 1, `unknown placeholder {{${key}}}, expected one of ${Object.keys(rendered).join(', ')}`));
        return v;
      }),
    )
    .join('\n');
}
