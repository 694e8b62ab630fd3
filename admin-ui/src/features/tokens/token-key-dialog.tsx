// Shows a freshly created key once, with a Copy button. Closing it forgets the key.
import { useEffect, useId, useRef, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { useI18n } from '../../i18n/i18n-context';
import type { CreatedToken } from './token-create-form';

type CopyState = 'idle' | 'copied' | 'failed';

export function TokenKeyDialog({ created, onClose }: { created: CreatedToken | null; onClose: () => void }) {
  const { t } = useI18n();
  const keyId = useId();
  const warningId = useId();
  const inputReference = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<CopyState>('idle');

  useEffect(() => {
    setCopyState('idle');
    // Pre-select the key so Ctrl+C works even where the Clipboard API is unavailable.
    inputReference.current?.select();
  }, [created]);

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopyState('copied');
    } catch {
      inputReference.current?.select();
      setCopyState('failed');
    }
  }

  return (
    <Dialog
      open={created !== null}
      title={t('tokens.keyDialogTitle')}
      onClose={onClose}
      actions={
        <button type="button" className="button button--primary" onClick={onClose}>
          {t('tokens.done')}
        </button>
      }
    >
      <p id={warningId} className="warning">
        {t('tokens.keyDialogWarning')}
      </p>
      <div className="field">
        <label htmlFor={keyId}>{t('tokens.keyLabel')}</label>
        <div className="copy-row">
          <input
            ref={inputReference}
            id={keyId}
            className="monospace"
            readOnly
            aria-describedby={warningId}
            value={created?.key ?? ''}
            onFocus={(event) => event.target.select()}
          />
          <button type="button" className="button" onClick={copy}>
            {t('tokens.copy')}
          </button>
        </div>
        <p className="hint" role="status">
          {copyState === 'copied' ? t('tokens.copied') : copyState === 'failed' ? t('tokens.copyFailed') : ''}
        </p>
      </div>
    </Dialog>
  );
}
