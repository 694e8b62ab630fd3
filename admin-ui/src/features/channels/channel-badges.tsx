// Badges for the channel-only states (key status, probe health), in the shared badge styles.
import type { ChannelHealthStatus, ChannelKeyStatus } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';

const KEY_TONE: Record<ChannelKeyStatus, 'good' | 'bad' | 'muted'> = { ENABLED: 'good', DISABLED: 'muted', AUTO_DISABLED: 'bad' };
const HEALTH_TONE: Record<ChannelHealthStatus, 'good' | 'bad' | 'muted'> = { HEALTHY: 'good', UNHEALTHY: 'bad', UNKNOWN: 'muted' };

export function KeyStatusBadge({ status }: { status: ChannelKeyStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge--${KEY_TONE[status]}`}>{t(`channels.keyStatus.${status}`)}</span>;
}

export function HealthBadge({ status }: { status: ChannelHealthStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge--${HEALTH_TONE[status]}`}>{t(`channels.health.${status}`)}</span>;
}
