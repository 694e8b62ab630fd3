// A card with a cursor-paged list: error banner, loading state, table and "load more". Pages pass what their query
// returned and how to fetch the next page.
import { useState } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { DataTable, type DataTableProps } from './data-table';
import { ErrorBanner, type ErrorBannerProps } from './error-banner';
import { LoadMoreButton } from './load-more-button';

export interface PagedTableCardProps<Row> extends DataTableProps<Row> {
  /** Optional heading inside the card. */
  heading?: string;
  error: ErrorBannerProps['error'];
  /** True while the first page is still loading. */
  loadingFirstPage: boolean;
  hasNextPage: boolean;
  loadNextPage: () => Promise<unknown>;
}

export function PagedTableCard<Row>({ heading, error, loadingFirstPage, hasNextPage, loadNextPage, ...table }: PagedTableCardProps<Row>) {
  const { t } = useI18n();
  const [loadingMore, setLoadingMore] = useState(false);
  async function loadMore() {
    setLoadingMore(true);
    try {
      await loadNextPage();
    } finally {
      setLoadingMore(false);
    }
  }
  return (
    <section className="card">
      {heading ? <h2>{heading}</h2> : null}
      <ErrorBanner error={error} />
      {loadingFirstPage ? <p className="muted">{t('app.loading')}</p> : <DataTable {...table} />}
      <LoadMoreButton hasNextPage={hasNextPage} loading={loadingMore} onLoadMore={() => void loadMore()} />
    </section>
  );
}
