// @npmcli/config ships no types; this is the part src/registry/npm.ts uses.
declare module '@npmcli/config' {
  export default class Config {
    constructor(options: {
      definitions: unknown;
      shorthands: unknown;
      flatten: unknown;
      npmPath: string;
      argv?: string[];
      cwd?: string;
      env?: NodeJS.ProcessEnv;
      platform?: string;
      execPath?: string;
      warn?: boolean;
    });
    load(): Promise<void>;
    readonly flat: Record<string, unknown>;
  }
}
declare module '@npmcli/config/lib/definitions/index.js' {
  const defs: { definitions: unknown; shorthands: unknown; flatten: unknown };
  export default defs;
}
