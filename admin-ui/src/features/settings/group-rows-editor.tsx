// Editable rows for per-group settings (limits, price multipliers): one row per group, add and remove buttons.
import { useI18n } from '../../i18n/i18n-context';

export interface RowField<Row> {
  key: keyof Row & string;
  label: string;
  type?: 'text' | 'number';
}

export interface GroupRowsEditorProps<Row extends { group: string }> {
  legend: string;
  fields: readonly RowField<Row>[];
  rows: readonly Row[];
  emptyRow: Row;
  onChange: (rows: Row[]) => void;
}

export function GroupRowsEditor<Row extends { group: string } & Record<string, string>>({
  legend,
  fields,
  rows,
  emptyRow,
  onChange,
}: GroupRowsEditorProps<Row>) {
  const { t } = useI18n();
  const update = (index: number, key: keyof Row & string, value: string) =>
    onChange(rows.map((row, position) => (position === index ? { ...row, [key]: value } : row)));
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      {rows.length === 0 ? <p className="muted">{t('settings.noGroups')}</p> : null}
      {rows.map((row, index) => (
        <div key={index} className="group-row">
          {fields.map((field) => (
            <input
              key={field.key}
              type={field.type ?? 'text'}
              step="any"
              aria-label={`${field.label} (${index + 1})`}
              placeholder={field.label}
              value={row[field.key]}
              onChange={(event) => update(index, field.key, event.target.value)}
            />
          ))}
          <button
            type="button"
            className="button button--small button--danger"
            aria-label={`${t('common.remove')} ${row.group || index + 1}`}
            onClick={() => onChange(rows.filter((_, position) => position !== index))}
          >
            {t('common.remove')}
          </button>
        </div>
      ))}
      <button type="button" className="button button--small" onClick={() => onChange([...rows, { ...emptyRow }])}>
        {t('settings.addGroup')}
      </button>
    </fieldset>
  );
}
