/** Tokens banned after `sequence` (which starts with the decoder start token). */
export function bannedTokens(sequence, badWordsIds) {
    const banned = [];
    for (const bad of badWordsIds) {
        if (bad.length === 0)
            continue;
        const prefix = bad.length - 1;
        if (sequence.length < prefix)
            continue;
        let match = true;
        for (let j = 1; j <= prefix; j++) {
            if (bad[bad.length - 1 - j] !== sequence[sequence.length - j]) {
                match = false;
                break;
            }
        }
        if (match)
            banned.push(bad[bad.length - 1]);
    }
    return banned;
}
/** Applies the constraints in place to one row's logits for generation step `step` (0-based). */
export function constrain(row, sequence, step, s) {
    for (const token of bannedTokens(sequence, s.badWordsIds))
        if (token >= 0 && token < row.length)
            row[token] = -Infinity;
    if (s.forcedEosTokenId !== null && step === s.maxNewTokens - 1) {
        row.fill(-Infinity);
        row[s.forcedEosTokenId] = 0;
    }
}
/** Index of the largest value; the first one on ties, as transformers.js's argmax. */
export function argmax(row) {
    let best = 0;
    let bestValue = -Infinity;
    for (let i = 0; i < row.length; i++) {
        if (row[i] > bestValue) {
            bestValue = row[i];
            best = i;
        }
    }
    return best;
}
/** log_softmax, in place. */
export function logSoftmax(row) {
    let max = -Infinity;
    for (let i = 0; i < row.length; i++)
        if (row[i] > max)
            max = row[i];
    let sum = 0;
    for (let i = 0; i < row.length; i++)
        sum += Math.exp(row[i] - max);
    const shift = max + Math.log(sum);
    for (let i = 0; i < row.length; i++)
        row[i] -= shift;
}
