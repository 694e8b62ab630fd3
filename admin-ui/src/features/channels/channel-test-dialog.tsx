// "Test" for one channel: one cheap real upstream call with a chosen model (and optionally a chosen key), showing
// whether it worked, the upstream status, the latency and the upstream's (key-scrubbed) message.
import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-banner';
import { SelectField } from '../../components/form-fields';
import type { ChannelFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { TestChannelMutation } from './channels.documents';

/** '' = let the server pick the first usable key. */
const ANY_KEY = '';

export function ChannelTestDialog({ channel, onClose }: { channel: ChannelFieldsFragment | null; onClose: () => void }) {
  const { t } = useI18n();
  const [model, setModel] = useState('');
  const [keyId, setKeyId] = useState(ANY_KEY);
  const [testChannel, { data, loading, error, reset }] = useMutation(TestChannelMutation);
  const models = channel?.models ?? [];
  const chosenModel = models.includes(model) ? model : (models[0] ?? '');
  const keyOptions = [ANY_KEY, ...(channel?.keys.map((key) => key.id) ?? [])];
  const result = data?.testChannel;

  function close() {
    reset();
    setModel('');
    setKeyId(ANY_KEY);
    onClose();
  }

  function run() {
    if (!channel) return;
    reset();
    testChannel({
      variables: { input: { id: channel.id, model: chosenModel || null, keyId: keyId === ANY_KEY ? null : keyId } },
    }).catch(() => {
      // Shown through `error`.
    });
  }

  return (
    <Dialog
      open={channel !== null}
      title={t('channels.testTitle', { name: channel?.name ?? '' })}
      onClose={close}
      actions={
        <>
          <button type="button" className="button" onClick={close}>
            {t('common.close')}
          </button>
          <button type="button" className="button button--primary" onClick={run} disabled={loading || !channel}>
            {loading ? t('channels.testing') : t('channels.runTest')}
          </button>
        </>
      }
    >
      <div className="form__grid">
        <SelectField label={t('channels.testModel')} value={chosenModel} options={models} labelOf={(value) => value} onChange={setModel} />
        <SelectField
          label={t('channels.testKey')}
          value={keyId}
          options={keyOptions}
          labelOf={(value) => (value === ANY_KEY ? t('channels.anyKey') : (channel?.keys.find((key) => key.id === value)?.hint ?? value))}
          onChange={setKeyId}
        />
      </div>
      <ErrorBanner error={error} />
      {result ? (
        <div className="quote-result" role="status" data-testid="channel-test-result" data-ok={result.ok}>
          <p>
            <span className={`badge badge--${result.ok ? 'good' : 'bad'}`}>{result.ok ? t('channels.testOk') : t('channels.testFailed')}</span>
          </p>
          <p>
            {t('channels.testLine', {
              model: result.model,
              status: result.status ?? t('channels.noAnswer'),
              ms: result.latencyMs,
            })}
          </p>
          <p className="monospace">{result.message}</p>
        </div>
      ) : null}
    </Dialog>
  );
}
