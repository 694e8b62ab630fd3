// Asks before a destructive action. The dialog runs the action itself: the buttons wait while it is busy, it closes when
// the action succeeds and shows the error banner when it fails.
import { useState } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { Dialog } from './dialog';
import { ErrorBanner } from './error-banner';

export interface ConfirmDialogProps<Subject> {
  /** What the question is about; the dialog is open while there is one. */
  subject: Subject | null;
  title: string;
  message: (subject: Subject) => string;
  confirmLabel: string;
  /** Shown on the confirm button while the action runs; the confirm label when left out. */
  busyLabel?: string;
  onConfirm: (subject: Subject) => Promise<unknown>;
  onClose: () => void;
}

export function ConfirmDialog<Subject>({ subject, title, message, confirmLabel, busyLabel, onConfirm, onClose }: ConfirmDialogProps<Subject>) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function close() {
    setError(null);
    onClose();
  }

  async function confirm() {
    if (subject === null) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(subject);
      close();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={subject !== null}
      title={title}
      onClose={close}
      actions={
        <>
          <button type="button" className="button" onClick={close} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--danger" onClick={() => void confirm()} disabled={busy}>
            {busy ? (busyLabel ?? confirmLabel) : confirmLabel}
          </button>
        </>
      }
    >
      <ErrorBanner error={error} />
      {subject !== null ? <p>{message(subject)}</p> : null}
    </Dialog>
  );
}
