import type { FaultSpec } from '../config/compiled-rule.js';

/** True with probability `percent` / 100 (0.01 granularity is meaningful). */
export function chance(percent: number): boolean {
  return percent >= 100 || (percent > 0 && Math.random() * 100 < percent);
}

/** The delay to inject before forwarding (0: none), decided independently of the abort. */
export function faultDelayMs(fault: FaultSpec): number {
  return fault.delayMs > 0 && chance(fault.delayPercent) ? fault.delayMs : 0;
}

/** The status to answer instead of forwarding (0: forward). */
export function faultAbortStatus(fault: FaultSpec): number {
  return fault.abortStatus > 0 && chance(fault.abortPercent) ? fault.abortStatus : 0;
}
