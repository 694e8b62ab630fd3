// Cells of a usage log row that fold details away: upstream attempts and the cost breakdown.
import type { UsageLogsQuery } from '../../gql/graphql';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n-context';
import { formatCreditsAsUsd } from '../../lib/contract';

type UsageRow = UsageLogsQuery['usageLogs']['edges'][number]['node'];

export function AttemptsCell({ attempts }: { attempts: UsageRow['attempts'] }) {
  const { t } = useI18n();
  if (attempts.length === 0) return <span className="muted">{t('common.none')}</span>;
  const summary = attempts.length === 1 ? t('usage.attemptsOne') : t('usage.attemptsMany', { count: attempts.length });
  return (
    <details className="details">
      <summary>{summary}</summary>
      <ol className="details__list">
        {attempts.map((attempt, index) => (
          <li key={index}>
            {t('usage.attemptLine', {
              channel: attempt.channelId,
              status: attempt.status ?? t('usage.noStatus'),
              ms: attempt.durationMs,
            })}
            {attempt.errorCode ? <span className="tag">{attempt.errorCode}</span> : null}
          </li>
        ))}
      </ol>
    </details>
  );
}

const BREAKDOWN_PARTS: ReadonlyArray<{ field: 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'perCall'; label: MessageKey }> = [
  { field: 'input', label: 'usage.breakdown.input' },
  { field: 'output', label: 'usage.breakdown.output' },
  { field: 'cacheRead', label: 'usage.breakdown.cacheRead' },
  { field: 'cacheWrite', label: 'usage.breakdown.cacheWrite' },
  { field: 'perCall', label: 'usage.breakdown.perCall' },
];

export function CostCell({ row }: { row: Pick<UsageRow, 'cost' | 'estimated' | 'costBreakdown'> }) {
  const { t } = useI18n();
  const total = (
    <>
      {formatCreditsAsUsd(row.cost)}
      {row.estimated ? <span className="tag">{t('usage.estimated')}</span> : null}
    </>
  );
  const breakdown = row.costBreakdown;
  if (!breakdown) return total;
  return (
    <details className="details">
      <summary>{total}</summary>
      <dl className="details__pairs">
        {BREAKDOWN_PARTS.filter((part) => breakdown[part.field] !== 0).map((part) => (
          <div key={part.field}>
            <dt>{t(part.label)}</dt>
            <dd>{formatCreditsAsUsd(breakdown[part.field])}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

export function TagsCell({ tags }: { tags: readonly string[] }) {
  const { t } = useI18n();
  if (tags.length === 0) return <span className="muted">{t('common.none')}</span>;
  return (
    <span className="tag-list">
      {tags.map((tag) => (
        <span key={tag} className="tag">
          {tag}
        </span>
      ))}
    </span>
  );
}
