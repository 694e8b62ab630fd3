// GraphQL documents of the wallet page (userId is always the signed-in user: for admins null would mean everyone): the signed-in user's balance, plan, recent postings, redeeming and top-ups.
import { graphql } from '../../gql';

export const WalletQuery = graphql(`
  query Wallet($userId: ID!, $first: Int) {
    me {
      id
      balance
      group
    }
    planSubscriptions(userId: $userId) {
      id
      planId
      periodKey
      createdAt
    }
    ledgerEntries(first: $first, userId: $userId) {
      edges {
        node {
          id
          kind
          amount
          balanceAfter
          reason
          createdAt
        }
      }
    }
    topUpMethods {
      stripe
      epay
    }
  }
`);

export const RedeemVoucherMutation = graphql(`
  mutation RedeemVoucher($input: RedeemVoucherInput!) {
    redeemVoucher(input: $input) {
      user {
        id
        balance
      }
      voucher {
        id
        kind
        amount
      }
    }
  }
`);

export const CreateStripeCheckoutMutation = graphql(`
  mutation CreateStripeCheckout($input: CreateStripeCheckoutInput!) {
    createStripeCheckout(input: $input) {
      checkoutUrl
    }
  }
`);

export const CreateEpayOrderMutation = graphql(`
  mutation CreateEpayOrder($input: CreateEpayOrderInput!) {
    createEpayOrder(input: $input) {
      payUrl
    }
  }
`);
