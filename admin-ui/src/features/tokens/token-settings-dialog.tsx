// Edits one key's spending cap (in USD, or unlimited) and its rate caps; the owner or an admin may.
import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-banner';
import { CheckboxField, TextField } from '../../components/form-fields';
import type { TokensQuery as TokensQueryResult } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { creditsToUsdText, usdToCredits } from '../../lib/usd';
import { LimitsFields } from '../users/limits-fields';
import { limitsToText, parseLimitsText } from '../users/limits-draft';
import { SetTokenLimitsMutation, UpdateTokenQuotaMutation } from './tokens.documents';

export type TokenSettingsRow = TokensQueryResult['tokens']['edges'][number]['node'];

function TokenSettingsForm({ token, onClose }: { token: TokenSettingsRow; onClose: () => void }) {
  const { t } = useI18n();
  const [unlimited, setUnlimited] = useState(token.unlimitedQuota);
  const [quota, setQuota] = useState(creditsToUsdText(token.quota));
  const [limits, setLimits] = useState(limitsToText(token.limits));
  const [invalid, setInvalid] = useState(false);
  const [updateQuota, quotaState] = useMutation(UpdateTokenQuotaMutation);
  const [setTokenLimits, limitsState] = useMutation(SetTokenLimitsMutation);
  const busy = quotaState.loading || limitsState.loading;

  async function save() {
    const quotaCredits = unlimited ? null : usdToCredits(quota);
    const parsedLimits = parseLimitsText(limits, false);
    if ((!unlimited && quotaCredits === null) || parsedLimits === 'invalid' || parsedLimits === null) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    try {
      await updateQuota({ variables: { input: { id: token.id, unlimitedQuota: unlimited, ...(quotaCredits === null ? {} : { quota: quotaCredits }) } } });
      await setTokenLimits({ variables: { input: { id: token.id, limits: parsedLimits } } });
      onClose();
    } catch {
      // Shown through the error banner above the fields.
    }
  }

  return (
    <Dialog
      open
      title={t('tokens.settingsTitle', { name: token.name })}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--primary" onClick={() => void save()} disabled={busy}>
            {busy ? t('common.saving') : t('tokens.saveSettings')}
          </button>
        </>
      }
    >
      <ErrorBanner error={quotaState.error ?? limitsState.error} />
      {invalid ? (
        <p className="error-banner" role="alert">
          {t('tokens.settingsInvalid')}
        </p>
      ) : null}
      <div className="form__grid">
        <CheckboxField label={t('tokens.unlimitedQuota')} checked={unlimited} onChange={setUnlimited} />
        {unlimited ? null : <TextField label={t('tokens.quotaUsd')} hint={t('tokens.quotaHint')} value={quota} onChange={setQuota} required />}
        <LimitsFields value={limits} onChange={setLimits} hint={t('tokens.limitsHint')} />
      </div>
    </Dialog>
  );
}

export function TokenSettingsDialog({ token, onClose }: { token: TokenSettingsRow | null; onClose: () => void }) {
  return token ? <TokenSettingsForm key={token.id} token={token} onClose={onClose} /> : null;
}
