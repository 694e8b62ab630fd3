import { useI18n } from '../i18n/i18n-context';

export type StatusValue = 'ACTIVE' | 'REVOKED' | 'DISABLED' | 'ENABLED' | 'SUCCESS' | 'ERROR' | 'CLIENT_ABORTED';

const TONE: Record<StatusValue, 'good' | 'bad' | 'muted'> = {
  ACTIVE: 'good',
  ENABLED: 'good',
  SUCCESS: 'good',
  REVOKED: 'bad',
  ERROR: 'bad',
  DISABLED: 'muted',
  CLIENT_ABORTED: 'muted',
};

export function StatusBadge({ status }: { status: StatusValue }) {
  const { t } = useI18n();
  return <span className={`badge badge--${TONE[status]}`}>{t(`status.${status}`)}</span>;
}
