// Public API of @anymesh/cli: the entry point, for tests and embedding.
export { main, buildProgram } from './main.js';
export { UsageError } from './errors.js';
