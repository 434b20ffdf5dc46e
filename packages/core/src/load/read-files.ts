import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkText } from './text-check.js';

/** One input file's text, or the reason it cannot be used. */
export interface SourceText {
  readonly file: string;
  readonly text: string;
}

export interface ReadOptions {
  /** Files above this size are refused before they are read. Default: 8 MiB. */
  readonly maxFileBytes?: number;
  /** Reads standard input when a path is `-`; the CLI supplies it. */
  readonly readStdin?: () => Promise<Buffer>;
}

export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
const POLICY_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
export const STDIN_NAME = '<stdin>';

/**
 * Reads files, directories (recursively, `*.yaml|*.yml|*.json`, sorted) and `-` (stdin).
 * Never throws for bad input: unreadable, oversized, binary or non-UTF-8 inputs become diagnostics.
 */
export async function readSources(
  paths: readonly string[],
  options: ReadOptions = {},
): Promise<{ sources: SourceText[]; diagnostics: Diagnostic[] }> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const sources: SourceText[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();

  const addBuffer = (file: string, bytes: Buffer): void => {
    if (bytes.length > maxBytes) {
      diagnostics.push(tooLarge(file, bytes.length, maxBytes));
      return;
    }
    const checked = checkText(file, bytes);
    if ('diagnostic' in checked) diagnostics.push(checked.diagnostic);
    else sources.push({ file, text: checked.text });
  };

  const visit = async (path: string, explicit: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      diagnostics.push(unreadable(path, error));
      return;
    }
    const real = await realpath(path).catch(() => path);
    if (seen.has(real)) return; // the same file named twice, or a symlink loop
    seen.add(real);
    if (info.isDirectory()) {
      const entries = await readdir(path).catch((error: unknown) => {
        diagnostics.push(unreadable(path, error));
        return [] as string[];
      });
      for (const entry of entries.sort()) {
        if (entry.startsWith('.') || entry === 'node_modules') continue;
        const child = join(path, entry);
        const childInfo = await stat(child).catch(() => undefined);
        if (childInfo?.isDirectory()) await visit(child, false);
        else if (POLICY_EXTENSIONS.has(extname(entry).toLowerCase())) await visit(child, false);
      }
      return;
    }
    if (!explicit && !POLICY_EXTENSIONS.has(extname(path).toLowerCase())) return;
    if (info.size > maxBytes) {
      diagnostics.push(tooLarge(path, info.size, maxBytes));
      return;
    }
    try {
      addBuffer(path, await readFile(path));
    } catch (error) {
      diagnostics.push(unreadable(path, error));
    }
  };

  for (const path of paths) {
    if (path === '-') {
      if (!options.readStdin) {
        diagnostics.push(unreadable(STDIN_NAME, new Error('standard input is not available here')));
        continue;
      }
      addBuffer(STDIN_NAME, await options.readStdin());
      continue;
    }
    await visit(path, true);
  }
  return { sources, diagnostics };
}

function tooLarge(file: string, size: number, max: number): Diagnostic {
  return {
    code: 'AM1003',
    severity: 'error',
    file,
    line: 1,
    col: 1,
    path: '',
    message: `file is ${formatBytes(size)}, above the ${formatBytes(max)} limit for policy files; split it into several files`,
  };
}

function unreadable(file: string, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
  return {
    code: 'AM1005',
    severity: 'error',
    file,
    line: 1,
    col: 1,
    path: '',
    message: `cannot read ${file}: ${reason}; check the path`,
  };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${n} bytes`;
}
