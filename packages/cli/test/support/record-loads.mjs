// Preloaded with `node --import` by start-up.test.ts: records every module the CLI loads into $ANYMESH_LOAD_LOG,
// ES modules through a resolve hook, CommonJS ones (ajv, yaml) from the require cache at exit.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

register(new URL('./record-loads-hooks.mjs', import.meta.url));
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(process.env.ANYMESH_LOAD_LOG, `${Object.keys(cache).join('\n')}\n`));
