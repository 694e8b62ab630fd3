// The three rate-cap inputs shared by the user and API-key forms.
import { TextField } from '../../components/form-fields';
import { useI18n } from '../../i18n/i18n-context';
import type { LimitsText } from './limits-draft';

export function LimitsFields({ value, onChange, hint }: { value: LimitsText; onChange: (next: LimitsText) => void; hint: string }) {
  const { t } = useI18n();
  return (
    <fieldset className="fieldset field--wide">
      <legend>{t('limits.title')}</legend>
      <small className="hint">{hint}</small>
      <div className="form__grid">
        <TextField
          label={t('limits.requestsPerMinute')}
          type="number"
          value={value.requestsPerMinute}
          onChange={(requestsPerMinute) => onChange({ ...value, requestsPerMinute })}
        />
        <TextField
          label={t('limits.tokensPerMinute')}
          type="number"
          value={value.tokensPerMinute}
          onChange={(tokensPerMinute) => onChange({ ...value, tokensPerMinute })}
        />
        <TextField
          label={t('limits.concurrentRequests')}
          type="number"
          value={value.concurrentRequests}
          onChange={(concurrentRequests) => onChange({ ...value, concurrentRequests })}
        />
      </div>
    </fieldset>
  );
}
