import { loadTexts, readSources, type Diagnostic, type LoadResult, type SourceText } from '@anymesh/core';

export interface PolicySnapshot {
  readonly sources: readonly SourceText[];
  /** Files whose text comes from a dashboard edit applied to the native mesh rather than from disk. */
  readonly edited: ReadonlySet<string>;
  readonly result: LoadResult;
}

/**
 * The policies the dashboard shows: the files of the policy directory, re-read on each request
 * (so edits made in an editor show up), with edits applied from the dashboard laid over them.
 * Disk is never written: the user's files stay the source of truth.
 */
export class PolicySource {
  readonly #dir: string;
  readonly #overrides = new Map<string, string>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  get dir(): string {
    return this.#dir;
  }

  async snapshot(): Promise<PolicySnapshot> {
    const { sources, diagnostics } = await readSources([this.#dir]);
    return this.#build(sources, diagnostics, this.#overrides);
  }

  /** Validates the policy set with one file's text replaced, without keeping the change. */
  async trial(file: string, text: string): Promise<PolicySnapshot> {
    const { sources, diagnostics } = await readSources([this.#dir]);
    const overrides = new Map(this.#overrides).set(file, text);
    return this.#build(sources, diagnostics, overrides);
  }

  /** Keeps an edit that the native mesh accepted. */
  keep(file: string, text: string): void {
    this.#overrides.set(file, text);
  }

  #build(disk: readonly SourceText[], readProblems: readonly Diagnostic[], overrides: ReadonlyMap<string, string>): PolicySnapshot {
    const edited = new Set<string>();
    const sources = disk.map((s) => {
      const text = overrides.get(s.file);
      if (text === undefined || text === s.text) return s;
      edited.add(s.file);
      return { file: s.file, text };
    });
    for (const [file, text] of overrides) {
      if (!disk.some((s) => s.file === file)) {
        sources.push({ file, text });
        edited.add(file);
      }
    }
    return { sources, edited, result: loadTexts(sources, readProblems) };
  }
}
