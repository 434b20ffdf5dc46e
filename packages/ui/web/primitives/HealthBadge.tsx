import type { Health } from '../../src/server/api-types.js';

const LABELS: Record<Health, string> = { healthy: 'healthy', degraded: 'degraded', failing: 'failing', unknown: 'no data' };

export function HealthBadge({ health }: { health: Health }) {
  return <span className={`badge health-${health}`}>{LABELS[health]}</span>;
}
