// Health hysteresis for one channel: N failed probes in a row auto-disable it, M good ones in a row re-enable it, and
// only a channel the health worker disabled itself is ever re-enabled (an admin's "disabled" is final).
import { ChannelHealthStatus, ChannelStatus, type ChannelHealthCheckRecord } from './channel.entity';
import type { ProbeOutcome } from './channel-probe';

export interface HealthThresholds {
  /** Consecutive down probes that disable an enabled channel. */
  failuresToDisable: number;
  /** Consecutive up probes that re-enable a channel the worker disabled. */
  successesToEnable: number;
}

export interface HealthState {
  status: ChannelStatus;
  autoDisabled: boolean;
  healthStatus: ChannelHealthStatus;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
}

export type HealthTransition = 'none' | 'auto-disable' | 're-enable';

export const HEALTH_HISTORY_SIZE = 50;

export function nextHealthState(state: HealthState, outcome: ProbeOutcome, thresholds: HealthThresholds): { state: HealthState; transition: HealthTransition } {
  // Inconclusive probes (rate limited, key refused) neither break nor extend a streak.
  if (outcome === 'inconclusive') return { state: { ...state }, transition: 'none' };
  const adminDisabled = state.status === ChannelStatus.DISABLED && !state.autoDisabled;
  if (outcome === 'up') {
    const next: HealthState = { ...state, healthStatus: ChannelHealthStatus.HEALTHY, consecutiveFailures: 0, consecutiveSuccesses: state.consecutiveSuccesses + 1 };
    if (!adminDisabled && state.autoDisabled && next.consecutiveSuccesses >= thresholds.successesToEnable) {
      return { state: { ...next, status: ChannelStatus.ENABLED, autoDisabled: false }, transition: 're-enable' };
    }
    return { state: next, transition: 'none' };
  }
  const next: HealthState = { ...state, healthStatus: ChannelHealthStatus.UNHEALTHY, consecutiveSuccesses: 0, consecutiveFailures: state.consecutiveFailures + 1 };
  if (state.status === ChannelStatus.ENABLED && next.consecutiveFailures >= thresholds.failuresToDisable) {
    return { state: { ...next, status: ChannelStatus.DISABLED, autoDisabled: true }, transition: 'auto-disable' };
  }
  return { state: next, transition: 'none' };
}

/** The history with one more check, oldest dropped beyond `size`. */
export function appendHealthCheck(history: readonly ChannelHealthCheckRecord[], check: ChannelHealthCheckRecord, size = HEALTH_HISTORY_SIZE): ChannelHealthCheckRecord[] {
  return [...history, check].slice(-size);
}
