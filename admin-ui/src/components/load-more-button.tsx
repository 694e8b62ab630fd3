import { useI18n } from '../i18n/i18n-context';

export interface LoadMoreButtonProps {
  hasNextPage: boolean;
  loading: boolean;
  onLoadMore: () => void;
}

export function LoadMoreButton({ hasNextPage, loading, onLoadMore }: LoadMoreButtonProps) {
  const { t } = useI18n();
  if (!hasNextPage) return null;
  return (
    <div className="load-more">
      <button type="button" className="button" onClick={onLoadMore} disabled={loading}>
        {loading ? t('common.loadingMore') : t('common.loadMore')}
      </button>
    </div>
  );
}
