// App shell: who is signed in decides between the login page and the console; the hash picks the page.
import { useQuery } from '@apollo/client/react';
import { Layout, type NavigationItem } from './components/layout';
import { ErrorBanner } from './components/error-banner';
import { LoginPage } from './features/auth/login-page';
import { MeQuery } from './features/auth/session';
import { useLogout } from './features/auth/use-logout';
import { ChannelsPage } from './features/channels/channels-page';
import { GovernancePage } from './features/governance/governance-page';
import { PricesPage } from './features/prices/prices-page';
import { SettingsPage } from './features/settings/settings-page';
import { TokensPage } from './features/tokens/tokens-page';
import { UsagePage } from './features/usage/usage-page';
import { PlansPage } from './features/plans/plans-page';
import { UsersPage } from './features/users/users-page';
import { VouchersPage } from './features/vouchers/vouchers-page';
import { WalletPage } from './features/wallet/wallet-page';
import { useI18n } from './i18n/i18n-context';
import { isUnauthenticated } from './lib/graphql-error';
import { useHashRoute, type Route } from './lib/hash-route';

const USER_NAVIGATION: readonly NavigationItem[] = [
  { route: 'tokens', label: 'nav.tokens' },
  { route: 'wallet', label: 'nav.wallet' },
  { route: 'usage', label: 'nav.usage' },
  { route: 'prices', label: 'nav.prices' },
];
const ADMIN_NAVIGATION: readonly NavigationItem[] = [
  { route: 'tokens', label: 'nav.tokens' },
  { route: 'wallet', label: 'nav.wallet' },
  { route: 'users', label: 'nav.users' },
  { route: 'vouchers', label: 'nav.vouchers' },
  { route: 'plans', label: 'nav.plans' },
  { route: 'channels', label: 'nav.channels' },
  { route: 'usage', label: 'nav.usage' },
  { route: 'prices', label: 'nav.prices' },
  { route: 'governance', label: 'nav.governance' },
  { route: 'settings', label: 'nav.settings' },
];

function PageFor({ route, userId, isAdmin, isRoot }: { route: Route; userId: string; isAdmin: boolean; isRoot: boolean }) {
  switch (route) {
    case 'wallet':
      return <WalletPage userId={userId} />;
    case 'users':
      return <UsersPage isRoot={isRoot} />;
    case 'vouchers':
      return <VouchersPage />;
    case 'plans':
      return <PlansPage />;
    case 'channels':
      return <ChannelsPage />;
    case 'usage':
      return <UsagePage />;
    case 'prices':
      return <PricesPage isAdmin={isAdmin} />;
    case 'governance':
      return <GovernancePage />;
    case 'settings':
      return <SettingsPage />;
    case 'tokens':
      return <TokensPage />;
  }
}

export function App() {
  const { t } = useI18n();
  const route = useHashRoute();
  const { data, loading, error } = useQuery(MeQuery);
  const { logout, loggingOut } = useLogout();

  if (loading && !data) {
    return <p className="splash">{t('app.loading')}</p>;
  }
  const me = data?.me ?? null;
  if (!me) {
    // "Not signed in" is the normal state here, not an error worth a banner.
    return <LoginPage initialError={error && !isUnauthenticated(error) ? error : undefined} />;
  }

  const isAdmin = me.role === 'ROOT' || me.role === 'ADMIN';
  const navigation = isAdmin ? ADMIN_NAVIGATION : USER_NAVIGATION;
  // Users who follow an admin-only link land on their tokens instead of a FORBIDDEN banner.
  const currentRoute: Route = navigation.some((item) => item.route === route) ? route : 'tokens';

  return (
    <Layout
      currentRoute={currentRoute}
      navigation={navigation}
      username={me.username}
      onLogout={logout}
      loggingOut={loggingOut}
    >
      {error ? <ErrorBanner error={error} /> : null}
      <PageFor route={currentRoute} userId={me.id} isAdmin={isAdmin} isRoot={me.role === 'ROOT'} />
    </Layout>
  );
}
