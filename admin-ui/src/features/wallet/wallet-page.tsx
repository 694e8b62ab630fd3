// Wallet (every signed-in user): balance, plan, recent ledger postings, "Redeem a code" and top-ups.
import { useQuery } from '@apollo/client/react';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import type { WalletQuery as WalletQueryResult } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { formatUsdShort } from '../../lib/usd';
import { RedeemVoucherForm } from './redeem-voucher-form';
import { TopUpCard } from './top-up-card';
import { WalletQuery } from './wallet.documents';

type LedgerRow = WalletQueryResult['ledgerEntries']['edges'][number]['node'];

const RECENT_ENTRIES = 20;

export function WalletPage({ userId }: { userId: string }) {
  const { t, formatDateTime } = useI18n();
  const { data, loading, error } = useQuery(WalletQuery, { variables: { userId, first: RECENT_ENTRIES }, fetchPolicy: 'cache-and-network' });
  const subscription = data?.planSubscriptions[0] ?? null;

  const columns: Column<LedgerRow>[] = [
    { key: 'created', header: t('common.created'), nowrap: true, render: (entry) => formatDateTime(entry.createdAt) },
    { key: 'kind', header: t('wallet.kind'), render: (entry) => entry.kind },
    { key: 'amount', header: t('wallet.amount'), numeric: true, render: (entry) => (entry.amount < 0 ? `-${formatUsdShort(-entry.amount)}` : formatUsdShort(entry.amount)) },
    { key: 'after', header: t('wallet.balanceAfter'), numeric: true, render: (entry) => formatUsdShort(entry.balanceAfter) },
    { key: 'reason', header: t('wallet.reason'), render: (entry) => entry.reason },
  ];

  return (
    <section className="page">
      <h1>{t('wallet.title')}</h1>
      <ErrorBanner error={error} />
      <section className="card" aria-label={t('wallet.balanceTitle')}>
        <h2>{t('wallet.balanceTitle')}</h2>
        {loading && !data ? (
          <p className="muted">{t('app.loading')}</p>
        ) : (
          <dl className="summary">
            <dt>{t('wallet.balance')}</dt>
            <dd data-testid="wallet-balance">{data?.me ? formatUsdShort(data.me.balance) : t('common.none')}</dd>
            <dt>{t('wallet.plan')}</dt>
            <dd>{subscription ? t('wallet.planPeriod', { planId: subscription.planId, period: subscription.periodKey }) : t('wallet.noPlan')}</dd>
          </dl>
        )}
      </section>
      <RedeemVoucherForm />
      {data ? <TopUpCard stripe={data.topUpMethods.stripe} epay={data.topUpMethods.epay} /> : null}
      <section className="card">
        <h2>{t('wallet.ledgerTitle')}</h2>
        <DataTable
          caption={t('wallet.ledgerTitle')}
          columns={columns}
          rows={data?.ledgerEntries.edges.map((edge) => edge.node) ?? []}
          rowKey={(entry) => entry.id}
          emptyText={t('wallet.ledgerEmpty')}
        />
      </section>
    </section>
  );
}
