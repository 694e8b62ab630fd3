// Hash routing (#/tokens): works behind any static file server without a history fallback.
import { useEffect, useState } from 'react';

export const ROUTES = ['tokens', 'wallet', 'users', 'vouchers', 'plans', 'channels', 'usage', 'prices', 'governance', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

function parseHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'tokens';
}

export function routeHref(route: Route): string {
  return `#/${route}`;
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const onHashChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  return route;
}
