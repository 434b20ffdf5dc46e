import type {
  AbMatch,
  AnalysisPoint,
  CheckResult,
  HeaderMatch,
  MetricName,
  RolloutEvent,
  RolloutPhase,
  RolloutStatus,
  TrafficPlan,
} from '@anymesh/core';

/** What a text line needs to know of the rollout beside the event itself. */
export type RolloutContext = Pick<RolloutStatus, 'service' | 'from' | 'to' | 'steps'>;

const UNITS = {
  'success-rate': '%',
  'latency-p99': 'ms',
  'latency-p50': 'ms',
  'request-rate': 'req/s',
} satisfies Record<MetricName, string>;

/** The phases after which nothing happens without `retry`. */
export const FINAL_PHASES: ReadonlySet<RolloutPhase> = new Set(['promoted', 'rolled-back', 'aborted']);

/** `2026-12-06T03:30:05Z`: seconds are the resolution that matters here. */
export function timeText(at: number): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

/** `3/5`, 1-based; a promoted rollout is past its last step, shown as `5/5`. */
export function stepText(step: number, steps: number): string {
  return `${Math.min(step + 1, steps)}/${steps}`;
}

/** Where requests go: `v1 80% v3 20%`, the A/B cohort, or blue/green's preview. */
export function trafficText(traffic: TrafficPlan, rollout: Pick<RolloutContext, 'from' | 'to'>): string {
  switch (traffic.kind) {
    case 'weights':
      return `${rollout.from} ${traffic.from}% ${rollout.to} ${traffic.to}%`;
    case 'cohort':
      return `cohort (${traffic.matches.map(matchText).join(' or ')}) -> ${rollout.to}, others -> ${rollout.from}`;
    case 'preview':
      return `preview (header ${traffic.header}) -> ${rollout.to}, others -> ${rollout.from}${traffic.mirror ? `, mirrored to ${rollout.to}` : ''}`;
  }
}

function matchText(match: AbMatch): string {
  const headers = Object.entries(match.headers ?? {}).map(([name, m]) => `${name}${headerMatchText(m)}`);
  const cookie = match.cookie === undefined ? [] : [`cookie ${match.cookie.name}=${match.cookie.value}`];
  return [...headers, ...cookie].join(' and ') || 'every request';
}

function headerMatchText(m: HeaderMatch): string {
  if ('exact' in m) return `=${m.exact}`;
  if ('prefix' in m) return ` prefix ${m.prefix}`;
  if ('regex' in m) return ` ~ ${m.regex}`;
  return 'present' in m ? ' present' : ' absent';
}

function num(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** One metric against its bounds: `success-rate 91.2% < 99% FAIL`, `latency-p99 120ms <= 500ms`, `request-rate no data`. */
export function checkText(check: CheckResult): string {
  const unit = UNITS[check.metric];
  const q = (v: number) => `${num(v)}${unit}`;
  if (check.value === undefined) return `${check.metric} no data`;
  const v = check.value;
  const bounds = [
    check.min === undefined ? undefined : `${v >= check.min ? '>=' : '<'} ${q(check.min)}`,
    check.max === undefined ? undefined : `${v <= check.max ? '<=' : '>'} ${q(check.max)}`,
  ].filter((b) => b !== undefined);
  return `${check.metric} ${q(v)}${bounds.length > 0 ? ` ${bounds.join(' ')}` : ''}${check.ok ? '' : ' FAIL'}`;
}

/** One line per event: what `status -w` prints live and `history` prints afterwards. */
export function eventLine(event: RolloutEvent, rollout: RolloutContext): string {
  const checks = event.checks === undefined || event.checks.length === 0 ? [] : [event.checks.map(checkText).join(', ')];
  const line = [
    timeText(event.at),
    `step ${stepText(event.step, rollout.steps)}`,
    trafficText(event.traffic, rollout),
    event.kind,
    ...checks,
  ];
  return `${line.join('  ')}${event.reason === '' ? '' : `: ${event.reason}`}`;
}

function pointLine(point: AnalysisPoint, rollout: RolloutContext): string {
  const checks = point.checks.map(checkText).join(', ');
  return `  ${timeText(point.at)}  step ${stepText(point.step, rollout.steps)}  ${point.verdict.padEnd(7)}  ${checks}  (${point.to.requests} requests to ${rollout.to}, ${point.from.requests} to ${rollout.from})`;
}

/** How many analysis intervals `status` shows (the dashboard has the whole chart). */
const RECENT_POINTS = 5;

export function statusText(s: RolloutStatus): string {
  const lines = [
    `Name:      ${s.namespace}/${s.name}`,
    `Service:   ${s.service}  ${s.from} -> ${s.to}  (${s.strategy})`,
    `Phase:     ${s.phase}${s.attempt > 1 ? `  (attempt ${s.attempt})` : ''}`,
    `Step:      ${stepText(s.step, s.steps)}`,
    `Traffic:   ${trafficText(s.traffic, s)}`,
    `Checks:    ${s.failedChecks} failed of ${s.threshold} allowed before rollback`,
    ...(s.pauseUntil === undefined ? [] : [`Paused to: ${timeText(s.pauseUntil)}`]),
    ...(s.scaleDownAt === undefined ? [] : [`Scale-down: ${timeText(s.scaleDownAt)} (${s.from} kept ready until then)`]),
    `Message:   ${s.message}`,
  ];
  const recent = s.analysis.slice(-RECENT_POINTS);
  if (recent.length > 0) {
    lines.push(`Analysis (last ${recent.length} of ${s.analysis.length} intervals):`, ...recent.map((p) => pointLine(p, s)));
  }
  return `${lines.join('\n')}\n`;
}

/** The `list` table: one row per rollout, columns padded to their widest cell. */
export function listText(rollouts: readonly RolloutStatus[]): string {
  if (rollouts.length === 0) return 'no rollouts\n';
  const rows = [
    ['NAME', 'SERVICE', 'STRATEGY', 'PHASE', 'STEP', 'TRAFFIC', 'MESSAGE'],
    ...rollouts.map((s) => [
      `${s.namespace}/${s.name}`,
      `${s.service} ${s.from}->${s.to}`,
      s.strategy,
      s.phase,
      stepText(s.step, s.steps),
      trafficText(s.traffic, s),
      s.message,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
