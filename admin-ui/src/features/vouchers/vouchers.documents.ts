// GraphQL documents of the vouchers feature (admin): batch creation, the list and a batch's CSV of codes.
import { graphql } from '../../gql';

export const VoucherFieldsFragment = graphql(`
  fragment VoucherFields on Voucher {
    id
    batchId
    codeHint
    kind
    amount
    planId
    planPeriods
    maxRedemptions
    redemptionCount
    oncePerUser
    groups
    expiresAt
    status
    createdAt
  }
`);

export const VouchersQuery = graphql(`
  query Vouchers($first: Int, $after: String) {
    vouchers(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...VoucherFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CreateVouchersMutation = graphql(`
  mutation CreateVouchers($input: CreateVouchersInput!) {
    createVouchers(input: $input) {
      batchId
      codes
    }
  }
`);

export const VoucherBatchCsvQuery = graphql(`
  query VoucherBatchCsv($batchId: ID!) {
    voucherBatchCsv(batchId: $batchId)
  }
`);
