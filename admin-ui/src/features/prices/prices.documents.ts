// GraphQL documents of the prices feature. Prices are integer credits per 1M tokens (1 credit = 1e-6 USD).
import { graphql } from '../../gql';

export const ModelPriceFieldsFragment = graphql(`
  fragment ModelPriceFields on ModelPrice {
    model
    inputPerMillion
    outputPerMillion
    cacheReadPerMillion
    cacheWritePerMillion
    perCall
    defaultMaxOutputTokens
    updatedAt
  }
`);

export const ModelPricesQuery = graphql(`
  query ModelPrices {
    modelPrices {
      ...ModelPriceFields
    }
  }
`);

export const SetModelPriceMutation = graphql(`
  mutation SetModelPrice($input: SetModelPriceInput!) {
    setModelPrice(input: $input) {
      price {
        ...ModelPriceFields
      }
    }
  }
`);

export const DeleteModelPriceMutation = graphql(`
  mutation DeleteModelPrice($input: DeleteModelPriceInput!) {
    deleteModelPrice(input: $input) {
      model
    }
  }
`);

export const ApplyDefaultPricesMutation = graphql(`
  mutation ApplyDefaultPrices($input: ApplyDefaultPricesInput!) {
    applyDefaultPrices(input: $input) {
      skipped
      prices {
        ...ModelPriceFields
      }
    }
  }
`);

export const ImportPriceRatiosMutation = graphql(`
  mutation ImportPriceRatios($input: ImportPriceRatiosInput!) {
    importPriceRatios(input: $input) {
      applied
      groupMultipliers {
        group
        multiplier
      }
      prices {
        model
        inputPerMillion
        outputPerMillion
        cacheReadPerMillion
        cacheWritePerMillion
        perCall
        existing
        changed
      }
    }
  }
`);

export const PriceQuoteQuery = graphql(`
  query PriceQuote($input: PriceQuoteInput!) {
    priceQuote(input: $input) {
      model
      input
      output
      cacheRead
      cacheWrite
      perCall
      multiplier
      total
      totalUsd
    }
  }
`);
