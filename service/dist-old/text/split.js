/** A sentence: up to its terminators (Chinese and Latin), then any closing quotes or brackets. */
const SENTENCE = /[^。！？!?…；;]*(?:[。！？!?…；;]+[”’」』）)\]"']*|$)/g;
const CLAUSE = /[^，,、：:]*(?:[，,、：:]+|$)/g;
const LINE_BREAK = /\r\n|\r|\n/;
function matches(text, pattern) {
    return (text.match(pattern) ?? []).map((m) => m.trim()).filter((m) => m !== '');
}
/** The sentences of `text`, line by line; blank lines survive in the separators. */
export function splitSentences(text) {
    const out = [];
    let breaks = 0;
    for (const [i, line] of text.split(LINE_BREAK).entries()) {
        if (i > 0)
            breaks++;
        for (const sentence of matches(line, SENTENCE)) {
            const previous = out[out.length - 1];
            if (previous)
                previous.separator = breaks ? '\n'.repeat(breaks) : ' ';
            out.push({ text: sentence, separator: '' });
            breaks = 0;
        }
    }
    return out;
}
/** The clauses of one sentence (after commas, enumeration commas and colons), joined by spaces. */
export function splitClauses(sentence) {
    return matches(sentence, CLAUSE).map((text, i, all) => ({ text, separator: i < all.length - 1 ? ' ' : '' }));
}
/** Joins translated pieces with their separators; an empty translation leaves no double space. */
export function joinPieces(translations, separators) {
    let out = '';
    for (const [i, t] of translations.entries()) {
        out += t;
        if (i < translations.length - 1)
            out += separators[i] || ' ';
    }
    return out
        .replace(/[ \t]+\n/g, '\n')
        .replace(/\n[ \t]+/g, '\n')
        .replace(/ {2,}/g, ' ')
        .trim();
}
