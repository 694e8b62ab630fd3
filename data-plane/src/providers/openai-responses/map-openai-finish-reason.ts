// OpenAI chat finish_reason -> the Responses status and incomplete_details of the whole response.
export type ResponsesStatus = 'completed' | 'incomplete';

export interface ResponsesOutcome {
  status: ResponsesStatus;
  incompleteDetails: { reason: 'max_output_tokens' | 'content_filter' } | null;
}

export function mapOpenAiFinishReason(finishReason: string | null | undefined): ResponsesOutcome {
  switch (finishReason) {
    case 'length':
      return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
    case 'content_filter':
      return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
    default:
      return { status: 'completed', incompleteDetails: null };
  }
}
