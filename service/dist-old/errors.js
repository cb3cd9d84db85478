/**
 * A reason the service cannot start with the installed versions or the given model folder.
 * The entry point turns it into one line `service: <reason>` on stderr and exit code 1, so the
 * matrix shows why a cell cannot work instead of a wrong translation.
 */
export class StartupError extends Error {
    constructor() {
        super(...arguments);
        this.name = 'StartupError';
    }
}
/** First line of an error message, for one-line reasons built from library errors. */
export function firstLine(error) {
    const text = error instanceof Error ? error.message : String(error);
    return (text.split('\n').find((l) => l.trim() !== '') ?? text).trim().slice(0, 300);
}
