// A textarea for a JSON object (mapping, overrides) that says as you type whether the text is a valid object.
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import { parseJsonObject } from './channel-draft';

export interface JsonObjectFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint: string;
  placeholder: string;
}

export function JsonObjectField({ label, value, onChange, hint, placeholder }: JsonObjectFieldProps) {
  const { t } = useI18n();
  const id = useId();
  const hintId = useId();
  const result = parseJsonObject(value);
  const problem = result.ok ? null : t(`channels.json.${result.problem}`);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={3}
        className="monospace"
        spellCheck={false}
        placeholder={placeholder}
        aria-invalid={problem ? true : undefined}
        aria-describedby={hintId}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <small id={hintId} className="hint" style={problem ? { color: 'var(--danger)' } : undefined}>
        {problem ?? hint}
      </small>
    </div>
  );
}
