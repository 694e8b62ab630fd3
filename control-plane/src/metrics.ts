// A few Prometheus counters, kept by hand: enough for request rates and publish health without a metrics dependency.
export class Metrics {
  private readonly requests = new Map<string, number>();
  private snapshotPublishes = 0;
  private snapshotFailures = 0;

  countRequest(route: string, status: number): void {
    const key = `route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  countSnapshotPublish(ok: boolean): void {
    if (ok) this.snapshotPublishes += 1;
    else this.snapshotFailures += 1;
  }

  render(snapshotVersion: number): string {
    const lines = [
      '# HELP nebulagate_control_plane_http_requests_total HTTP requests by route and status.',
      '# TYPE nebulagate_control_plane_http_requests_total counter',
      ...[...this.requests].map(([labels, count]) => `nebulagate_control_plane_http_requests_total{${labels}} ${count}`),
      '# HELP nebulagate_control_plane_snapshot_version Version of the last snapshot this process published.',
      '# TYPE nebulagate_control_plane_snapshot_version gauge',
      `nebulagate_control_plane_snapshot_version ${snapshotVersion}`,
      '# HELP nebulagate_control_plane_snapshot_publish_failures_total Snapshot compiles that failed.',
      '# TYPE nebulagate_control_plane_snapshot_publish_failures_total counter',
      `nebulagate_control_plane_snapshot_publish_failures_total ${this.snapshotFailures}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
