export function jsonLineLogger(write = (l) => process.stdout.write(l)) {
    return (event, fields = {}) => write(JSON.stringify({ time: new Date().toISOString(), event, ...fields }) + '\n');
}
export const silentLogger = () => { };
/**
 * Runs `load` with console.log/warn/info routed into `log`: some tokenizer libraries print
 * warnings while loading (@lenml/tokenizers: "MarianTokenizer is not yet supported…"), which would
 * break the one-JSON-object-per-line stdout and the one-line stderr contract.
 */
export async function capturingConsole(log, source, load) {
    const saved = { log: console.log, warn: console.warn, info: console.info };
    const route = (...args) => log('library_message', { source, message: args.map(String).join(' ').slice(0, 500) });
    console.log = route;
    console.warn = route;
    console.info = route;
    try {
        return await load();
    }
    finally {
        Object.assign(console, saved);
    }
}
