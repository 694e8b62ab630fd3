// Asks before deleting a model's price: unpriced models are refused or free, as the settings say.
import { useMutation } from '@apollo/client/react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useI18n } from '../../i18n/i18n-context';
import { DeleteModelPriceMutation, ModelPricesQuery } from './prices.documents';

export function DeletePriceDialog({ model, onClose }: { model: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const [deletePrice] = useMutation(DeleteModelPriceMutation, { refetchQueries: [ModelPricesQuery], awaitRefetchQueries: true });
  return (
    <ConfirmDialog
      subject={model}
      title={t('prices.deleteTitle')}
      message={(subject) => t('prices.deleteConfirm', { model: subject })}
      confirmLabel={t('common.delete')}
      onConfirm={(subject) => deletePrice({ variables: { input: { model: subject } } })}
      onClose={onClose}
    />
  );
}
