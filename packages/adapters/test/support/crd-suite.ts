import { describe, it } from 'vitest';
import { crdAvailability } from './crd-index.js';

/**
 * A describe block that needs the upstream CRDs. Without them it is skipped, with the reason in its
 * name, outside CI; in CI (`CI=true`) a missing folder is a failure, never a silent pass.
 */
export function describeWithCrds(name: string, body: () => void): void {
  const availability = crdAvailability();
  if (availability.available) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has the upstream CRD folder it needs', () => {
        throw new Error(availability.reason);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${availability.reason})`, body);
  }
}
