// Asks before deleting a model's price: unpriced models are refused or free, as the settings say.
import { useMutation } from '@apollo/client/react';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/i18n-context';
import { DeleteModelPriceMutation, ModelPricesQuery } from './prices.documents';

export function DeletePriceDialog({ model, onClose }: { model: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const [deletePrice, { loading, error, reset }] = useMutation(DeleteModelPriceMutation, {
    refetchQueries: [ModelPricesQuery],
    awaitRefetchQueries: true,
  });

  function close() {
    reset();
    onClose();
  }

  async function confirm() {
    if (!model) return;
    try {
      await deletePrice({ variables: { input: { model } } });
      close();
    } catch {
      // Shown through `error` in the dialog.
    }
  }

  return (
    <Dialog
      open={model !== null}
      title={t('prices.deleteTitle')}
      onClose={close}
      actions={
        <>
          <button type="button" className="button" onClick={close} disabled={loading}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--danger" onClick={confirm} disabled={loading}>
            {t('common.delete')}
          </button>
        </>
      }
    >
      <ErrorBanner error={error} />
      <p>{t('prices.deleteConfirm', { model: model ?? '' })}</p>
    </Dialog>
  );
}
