/** matrix.json: the RunReport itself, 2-space indented; the source every other format is rendered from. */
import type { Reporter } from '../types.js';

export const json: Reporter = {
  file: 'matrix.json',
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};
