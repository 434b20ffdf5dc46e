import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The list of files anymesh wrote into an `--out-dir`, one name a line. Its name has no .yaml/.yml/.json
 * ending, so `kubectl apply -f <dir>` does not read it.
 */
export const OUT_DIR_INDEX = '.anymesh-written';

/** Only a plain file name anymesh could have written is ever removed: an edited index cannot reach outside the directory. */
const WRITTEN_NAME = /^[a-z0-9][a-z0-9.-]*\.(yaml|json)$/;

/**
 * Writes `files` (name → text) into `dir` and removes the files an earlier run wrote there that this run does not
 * (named in the index), so that `kubectl apply -f dir` applies exactly this translation. Files anymesh did not
 * write are left alone. The index lists old and new names until the stale ones are gone, so an interrupted run is
 * cleaned up by the next one. Returns the stale files removed and the other manifests found there (which
 * `kubectl apply -f dir` would apply too: the caller says so).
 */
export async function writeOutDir(dir: string, files: ReadonlyMap<string, string>): Promise<{ removed: string[]; foreign: string[] }> {
  await mkdir(dir, { recursive: true });
  const before = await readIndex(dir);
  const stale = before.filter((name) => !files.has(name));
  await writeIndex(dir, [...new Set([...before, ...files.keys()])]);
  for (const [name, text] of files) await writeFile(join(dir, name), text);
  for (const name of stale) await rm(join(dir, name), { force: true });
  await writeIndex(dir, [...files.keys()]);
  const foreign = (await readdir(dir)).filter((name) => /\.(ya?ml|json)$/.test(name) && !files.has(name)).sort();
  return { removed: stale, foreign };
}

async function readIndex(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, OUT_DIR_INDEX), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => WRITTEN_NAME.test(line));
}

async function writeIndex(dir: string, names: readonly string[]): Promise<void> {
  const header = '# Files anymesh translate --out-dir wrote here; the next run removes those it no longer writes.\n';
  await writeFile(join(dir, OUT_DIR_INDEX), `${header}${[...names].sort().join('\n')}\n`);
}
