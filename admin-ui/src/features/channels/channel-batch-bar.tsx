// Batch enable / disable: the selected channels (by id), or every channel carrying the filtered tag (server-side, so
// channels not loaded yet are included too).
import { useMutation } from '@apollo/client/react';
import { ErrorBanner } from '../../components/error-banner';
import type { ChannelStatus } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { SetChannelsStatusMutation } from './channels.documents';

export interface ChannelBatchBarProps {
  shownIds: readonly string[];
  selectedIds: readonly string[];
  /** The tag the list is filtered by, or null for none. */
  tag: string | null;
  onSelectAllShown: () => void;
  /** Called with a translated summary once the server has applied the change. */
  onApplied: (summary: string) => void;
}

export function ChannelBatchBar({ shownIds, selectedIds, tag, onSelectAllShown, onApplied }: ChannelBatchBarProps) {
  const { t } = useI18n();
  const [setChannelsStatus, { loading, error, reset }] = useMutation(SetChannelsStatusMutation);

  async function apply(status: ChannelStatus, target: { ids: string[] } | { tag: string }) {
    try {
      const result = await setChannelsStatus({ variables: { input: { status, ...target } } });
      const count = result.data?.setChannelsStatus.count ?? 0;
      onApplied(t(status === 'ENABLED' ? 'channels.batchEnabled' : 'channels.batchDisabled', { count }));
    } catch {
      // Shown through `error`.
    }
  }

  const nothingSelected = loading || selectedIds.length === 0;
  return (
    <>
      <div className="inline-actions" style={{ marginBottom: '0.75rem' }} role="group" aria-label={t('channels.batchActions')}>
        <span className="muted">{t('channels.selectedCount', { count: selectedIds.length })}</span>
        <button
          type="button"
          className="button button--small"
          disabled={loading || shownIds.length === 0 || selectedIds.length === shownIds.length}
          onClick={onSelectAllShown}
        >
          {t('channels.selectAllShown')}
        </button>
        <button type="button" className="button button--small" disabled={nothingSelected} onClick={() => void apply('ENABLED', { ids: [...selectedIds] })}>
          {t('channels.enableSelected')}
        </button>
        <button type="button" className="button button--small" disabled={nothingSelected} onClick={() => void apply('DISABLED', { ids: [...selectedIds] })}>
          {t('channels.disableSelected')}
        </button>
        {tag !== null ? (
          <>
            <button type="button" className="button button--small" disabled={loading} onClick={() => void apply('ENABLED', { tag })}>
              {t('channels.enableTagged', { tag })}
            </button>
            <button type="button" className="button button--small" disabled={loading} onClick={() => void apply('DISABLED', { tag })}>
              {t('channels.disableTagged', { tag })}
            </button>
          </>
        ) : null}
      </div>
      <ErrorBanner error={error} onDismiss={reset} />
    </>
  );
}
