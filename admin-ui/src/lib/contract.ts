// The only place the UI reaches into the shared contract package: pure, dependency-free modules, so the browser
// bundle gets the same provider ids and money formatting as the server planes without pulling in node code.
export { PROVIDER_IDS, type ProviderId } from '../../../schema/src/provider-ids';
export { CREDITS_PER_USD, formatCreditsAsUsd } from '../../../schema/src/money';
export { GRAPHQL_ERROR_CODES, type GraphqlErrorCode } from '../../../schema/src/error-codes';
