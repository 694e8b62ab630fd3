// Shows an Apollo/GraphQL error as a translated message chosen by its extensions.code.
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/i18n-context';
import { toDisplayError, type DisplayErrorCode } from '../lib/graphql-error';

export interface ErrorBannerProps {
  error: unknown;
  onDismiss?: () => void;
  /** A more precise message for a code in this place, e.g. UNAUTHENTICATED on the login form. */
  messages?: Partial<Record<DisplayErrorCode, MessageKey>>;
}

export function ErrorBanner({ error, onDismiss, messages }: ErrorBannerProps) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  const { code, detail } = toDisplayError(error);
  const message = messages?.[code] ?? (`errors.${code}` as const);
  return (
    <div className="error-banner" role="alert" data-error-code={code}>
      <div>
        <strong>{t(message)}</strong>
        {detail ? <p className="error-banner__detail">{detail}</p> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="button button--ghost" onClick={onDismiss}>
          {t('errors.dismiss')}
        </button>
      ) : null}
    </div>
  );
}
