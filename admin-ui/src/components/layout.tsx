// Page frame: brand, main navigation, language switch, signed-in user and logout.
import type { ReactNode } from 'react';
import { LANGUAGES, LANGUAGE_NAMES, useI18n, type Language } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/en';
import { routeHref, type Route } from '../lib/hash-route';

export interface NavigationItem {
  route: Route;
  label: MessageKey;
}

export interface LayoutProps {
  currentRoute: Route;
  navigation: readonly NavigationItem[];
  username: string;
  onLogout: () => void;
  loggingOut: boolean;
  children: ReactNode;
}

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <label className="language-switch">
      <span>{t('language.label')}</span>
      <select
        value={language}
        onChange={(event) => {
          const next = LANGUAGES.find((candidate) => candidate === event.target.value);
          if (next) setLanguage(next);
        }}
      >
        {LANGUAGES.map((option: Language) => (
          <option key={option} value={option} lang={option}>
            {LANGUAGE_NAMES[option]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Layout({ currentRoute, navigation, username, onLogout, loggingOut, children }: LayoutProps) {
  const { t } = useI18n();
  return (
    <div className="layout">
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('nav.label')} className="nav">
          <ul>
            {navigation.map((item) => (
              <li key={item.route}>
                <a
                  href={routeHref(item.route)}
                  className="nav__link"
                  aria-current={item.route === currentRoute ? 'page' : undefined}
                >
                  {t(item.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar__end">
          <LanguageSwitch />
          <span className="topbar__user">{t('nav.signedInAs', { username })}</span>
          <button type="button" className="button button--ghost" onClick={onLogout} disabled={loggingOut}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
