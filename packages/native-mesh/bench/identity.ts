// The mesh's CA code for the benchmark's mTLS cases. It is not part of the package's public API,
// so the bench loads it from the package's build output; the path differs between type checking
// (this folder) and run time (bench/dist), hence the dynamic import.
import type * as Identity from '../dist/identity/index.js';

const built = (path: string) => new URL(`../../dist/identity/${path}`, import.meta.url).href;
export const { createKeyAndCsr, loadOrCreateCA, signWorkloadCsr } = (await import(built('index.js'))) as typeof Identity;
