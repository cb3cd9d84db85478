/**
 * The page's inline CSS. The grid is colored by verdict through each cell's class (so it reads
 * with scripts off); a figure's scale applies when <body data-scale> names it, coloring each
 * cell by the step its link carries (`data-bleu="0"`: the worst BLEU of the run).
 */
import { FIGURES, type SCALE_STEPS } from './figures.js';

/** Light backgrounds from the worst step to the best, readable under every verdict's text color. */
const STEP_COLORS: string[] & { length: typeof SCALE_STEPS } = ['#ffcfc9', '#ffe2c2', '#fff4b8', '#e2f4c4', '#c3edcb'];

const scaleCss =
  `body[data-scale]:not([data-scale="verdict"]) #grid td.cell[data-cell]{background:#fff}` +
  FIGURES.flatMap((f) => STEP_COLORS.map((c, i) => `body[data-scale="${f.key}"] #grid td.cell[data-cell]:has(>a[data-${f.key}="${i}"]){background:${c}}`)).join(
    '',
  ) +
  STEP_COLORS.map((c, i) => `.legend i.s${i}{background:${c}}`).join('');

export const CSS = `
:root{--ok:#1a7f37;--ok-bg:#dafbe1;--warn:#9a6700;--warn-bg:#fff8c5;--bad:#cf222e;--bad-bg:#ffebe9;--skip:#57606a;--skip-bg:#eaeef2}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1f2328;max-width:1200px}
h1{font-size:20px;margin:0 0 4px}.meta{color:#57606a;margin:0 0 16px}code{font-size:12px}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:6px 10px;text-align:left;vertical-align:top}
#grid td.cell{padding:0;text-align:center;min-width:150px}#grid td.cell a{display:block;padding:8px 8px 2px;color:inherit;text-decoration:none;font-weight:600}
#grid td.cell a:hover{outline:2px solid #0969da}
#grid .figs{display:flex;flex-wrap:wrap;justify-content:center;gap:0 8px;font-size:11px;color:#1f2328;padding:0 6px 6px}
#grid td.cell.filtered{background:#fff!important}#grid td.cell.filtered>*{visibility:hidden}details.cell.filtered{display:none}
.ok{background:var(--ok-bg);color:var(--ok)}.warn{background:var(--warn-bg);color:var(--warn)}.bad{background:var(--bad-bg);color:var(--bad)}.skip{background:var(--skip-bg);color:var(--skip)}
.summary{font-weight:600;margin:12px 0 20px}
#controls{margin:0 0 12px;font-size:13px}#controls .scale{margin-bottom:6px}#controls fieldset{display:inline-block;border:1px solid #d0d7de;border-radius:6px;margin:0 6px 6px 0;padding:2px 8px}
#controls legend{font-weight:600;padding:0 4px}#controls fieldset label{margin-right:8px;white-space:nowrap}#shown{color:#57606a}
.legend i{display:inline-block;width:14px;height:10px;border:1px solid #d0d7de}.legend{color:#57606a;margin-left:8px}
details.cell{border:1px solid #d0d7de;border-radius:6px;margin:8px 0;padding:0 12px}details.cell[open]{padding-bottom:12px}
details.cell>summary{cursor:pointer;padding:8px 0}details.cell:target{box-shadow:0 0 0 3px #0969da55}
.badge{display:inline-block;border-radius:10px;padding:0 8px;margin-right:6px;font-size:12px}
.change{display:inline-block;border-radius:10px;padding:0 6px;margin:0 0 4px;font-size:11px;font-weight:600;color:#fff}
.change.newly-failing{background:var(--bad)}.change.newly-passing{background:var(--ok)}.change.drift{background:var(--warn)}
details.cell .change{margin:0 6px 0 0}
.cols{display:flex;flex-wrap:wrap;gap:24px}.cols>div{min-width:260px}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:240px;font-size:12px}
svg.chart{display:block;margin:6px 0}svg .title{font-weight:600;font-size:12px}svg .axis,svg .value{font-size:11px;fill:#57606a}
ol.strip{list-style:none;display:flex;gap:2px;justify-content:center;margin:0;padding:0 0 6px}ol.strip li{width:8px;height:8px;border-radius:2px;border:1px solid currentColor}
ol.strip li.ok{background:var(--ok)}ol.strip li.warn{background:var(--warn)}ol.strip li.bad{background:var(--bad)}ol.strip li.skip{background:var(--skip)}ol.strip li.none{opacity:.35}
ol.strip.large{justify-content:flex-start;gap:4px}ol.strip.large li{width:14px;height:14px}
svg .lat{fill:#54aeff}svg .lat95{fill:#0969da}svg .sample{fill:#8c959f}svg .bleu{fill:#4ac26b}svg .chrf{fill:#1a7f37}
${scaleCss}
`;
