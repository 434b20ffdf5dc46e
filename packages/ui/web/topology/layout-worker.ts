import * as elkApi from 'elkjs/lib/elk-api.js';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { elkConstructor, setLayoutEngine } from './layout.js';

/** Moves layout off the main thread: 300 services take seconds to lay out, and the page must stay usable. */
export function layOutInWorker(): void {
  if (typeof Worker === 'undefined') return;
  const Elk = elkConstructor(elkApi);
  setLayoutEngine(() => new Elk({ workerUrl }));
}
