// Labelled inputs for the admin forms: each ties its label (and optional hint) to the control by id.
import { useId, type ReactNode } from 'react';

interface FieldFrameProps {
  label: string;
  hint?: string;
  wide?: boolean;
  children: (ids: { id: string; hintId: string | undefined }) => ReactNode;
}

function FieldFrame({ label, hint, wide, children }: FieldFrameProps) {
  const id = useId();
  const hintId = useId();
  return (
    <div className={wide ? 'field field--wide' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, hintId: hint ? hintId : undefined })}
      {hint ? (
        <small id={hintId} className="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

export interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  wide?: boolean;
  required?: boolean;
  type?: 'text' | 'number' | 'date';
  step?: string;
  placeholder?: string;
}

export function TextField({ label, value, onChange, hint, wide, required, type = 'text', step, placeholder }: TextFieldProps) {
  return (
    <FieldFrame label={label} hint={hint} wide={wide}>
      {({ id, hintId }) => (
        <input
          id={id}
          type={type}
          step={step}
          required={required}
          placeholder={placeholder}
          aria-describedby={hintId}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FieldFrame>
  );
}

export interface TextAreaFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  rows?: number;
  monospace?: boolean;
}

export function TextAreaField({ label, value, onChange, hint, rows = 3, monospace }: TextAreaFieldProps) {
  return (
    <FieldFrame label={label} hint={hint} wide>
      {({ id, hintId }) => (
        <textarea
          id={id}
          rows={rows}
          className={monospace ? 'monospace' : undefined}
          aria-describedby={hintId}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FieldFrame>
  );
}

export interface SelectFieldProps<Value extends string> {
  label: string;
  value: Value;
  options: readonly Value[];
  labelOf: (value: Value) => string;
  onChange: (value: Value) => void;
}

export function SelectField<Value extends string>({ label, value, options, labelOf, onChange }: SelectFieldProps<Value>) {
  return (
    <FieldFrame label={label}>
      {({ id }) => (
        <select
          id={id}
          value={value}
          onChange={(event) => {
            const next = options.find((option) => option === event.target.value);
            if (next !== undefined) onChange(next);
          }}
        >
          {options.map((option) => (
            <option key={option} value={option}>
              {labelOf(option)}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export interface CheckboxFieldProps {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}

export function CheckboxField({ label, checked, onChange }: CheckboxFieldProps) {
  return (
    <label className="checkbox-field">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      <span>{label}</span>
    </label>
  );
}
