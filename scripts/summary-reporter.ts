// Prints every skipped test with its reason, then the closing line CI reads: `N passed, N failed, N skipped`
// (always all three, `0 skipped` included).
import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Why a test was skipped. Vitest 4 keeps a reason only for `context.skip(note)` (`result().note`);
 * `skip`/`skipIf`/`describe.skip` keep none, so suites that skip without running say why in
 * `meta.skipReason` (see packages/native-mesh/test/support/required-tool.ts).
 */
function skipReason(test: TestCase): string {
  const result = test.result();
  const note = result.state === 'skipped' ? result.note : undefined;
  const meta = test.meta() as { skipReason?: unknown };
  if (note) return note;
  if (result.state === 'pending') return 'did not finish (the run ended first)';
  if (typeof meta.skipReason === 'string' && meta.skipReason) return meta.skipReason;
  return test.options.mode === 'todo' ? 'todo' : 'no reason given (it.skip without one, or left out by a -t or .only filter)';
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    const skipped: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped.push(`  - ${m.relativeModuleId} > ${t.fullName}: ${skipReason(t)}`);
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
    }
    const list = skipped.length > 0 ? `\nskipped tests (${skipped.length}):\n${skipped.join('\n')}\n` : '';
    process.stdout.write(`${list}\n${passed} passed, ${failed} failed, ${skipped.length} skipped\n`);
  }
}
