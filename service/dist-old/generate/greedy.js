import { argmax, constrain } from './constraints.js';
/**
 * Greedy search over `rows` sequences at once; returns the generated ids of each row without the
 * start token and without the final eos. A finished row leaves the batch (its cache rows are
 * dropped), so a batch costs what its unfinished rows cost.
 */
export async function greedySearch(decoder, rows, s) {
    const sequences = Array.from({ length: rows }, () => [s.decoderStartTokenId]);
    /** Original row of each row in the current (shrinking) batch. */
    let active = sequences.map((_, r) => r);
    let tokens = new Array(rows).fill(s.decoderStartTokenId);
    let cache = null;
    const vocab = decoder.vocabSize;
    for (let step = 0; step < s.maxNewTokens && active.length > 0; step++) {
        const out = await decoder.step(tokens, cache);
        const keep = [];
        const next = [];
        active.forEach((r, i) => {
            const row = out.logits.subarray(i * vocab, (i + 1) * vocab);
            constrain(row, sequences[r], step, s);
            const token = argmax(row);
            sequences[r].push(token);
            if (token !== s.eosTokenId) {
                keep.push(i);
                next.push(token);
            }
        });
        if (keep.length === 0)
            break;
        cache = keep.length === active.length ? out.cache : decoder.reorder(out.cache, keep);
        active = keep.map((i) => active[i]);
        tokens = next;
    }
    return sequences.map((seq) => {
        const generated = seq.slice(1);
        return generated[generated.length - 1] === s.eosTokenId ? generated.slice(0, -1) : generated;
    });
}
