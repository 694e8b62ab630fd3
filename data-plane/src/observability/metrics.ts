// In-process counters rendered as Prometheus text for GET /metrics.
export class Metrics {
  private readonly requestsByStatus = new Map<number, number>();
  private readonly upstreamAttemptsByOutcome = new Map<string, number>();
  usageEventsQueued = 0;
  usageEventsSpooled = 0;
  usageEventsReplayed = 0;
  activeStreams = 0;

  countRequest(status: number): void {
    this.requestsByStatus.set(status, (this.requestsByStatus.get(status) ?? 0) + 1);
  }

  countUpstreamAttempt(outcome: string): void {
    this.upstreamAttemptsByOutcome.set(outcome, (this.upstreamAttemptsByOutcome.get(outcome) ?? 0) + 1);
  }

  render(snapshotVersion: number): string {
    const lines: string[] = [
      '# HELP nebulagate_http_requests_total HTTP requests answered by the data plane, by status code.',
      '# TYPE nebulagate_http_requests_total counter',
    ];
    for (const [status, count] of [...this.requestsByStatus].sort((a, b) => a[0] - b[0])) {
      lines.push(`nebulagate_http_requests_total{status="${status}"} ${count}`);
    }
    lines.push(
      '# HELP nebulagate_upstream_attempts_total Upstream attempts, by outcome.',
      '# TYPE nebulagate_upstream_attempts_total counter',
    );
    for (const [outcome, count] of this.upstreamAttemptsByOutcome) {
      lines.push(`nebulagate_upstream_attempts_total{outcome="${outcome}"} ${count}`);
    }
    lines.push(
      '# HELP nebulagate_snapshot_version Version of the routing snapshot in memory (0 = none).',
      '# TYPE nebulagate_snapshot_version gauge',
      `nebulagate_snapshot_version ${snapshotVersion}`,
      '# HELP nebulagate_active_streams Streams being relayed right now.',
      '# TYPE nebulagate_active_streams gauge',
      `nebulagate_active_streams ${this.activeStreams}`,
      '# HELP nebulagate_usage_events_total Usage events, by where they went.',
      '# TYPE nebulagate_usage_events_total counter',
      `nebulagate_usage_events_total{destination="queue"} ${this.usageEventsQueued}`,
      `nebulagate_usage_events_total{destination="spool"} ${this.usageEventsSpooled}`,
      `nebulagate_usage_events_total{destination="replayed"} ${this.usageEventsReplayed}`,
      '',
    );
    return lines.join('\n');
  }
}
