// GraphQL documents of the governance feature (admin only): prompt rules that block, mask, reroute or tag.
import { graphql } from '../../gql';

export const GovernanceRulesQuery = graphql(`
  query GovernanceRules {
    governanceRules {
      ...GovernanceRuleFields
    }
  }
`);

export const GovernanceRuleFieldsFragment = graphql(`
  fragment GovernanceRuleFields on GovernanceRuleEntity {
    id
    name
    order
    enabled
    action
    patterns
    keywords
    caseSensitive
    models
    paths
    groups
    tokenIds
    maskWith
    rerouteModel
    blockMessage
    tag
    recordMatch
    updatedAt
  }
`);

export const CreateGovernanceRuleMutation = graphql(`
  mutation CreateGovernanceRule($input: CreateGovernanceRuleInput!) {
    createGovernanceRule(input: $input) {
      rule {
        ...GovernanceRuleFields
      }
    }
  }
`);

export const UpdateGovernanceRuleMutation = graphql(`
  mutation UpdateGovernanceRule($input: UpdateGovernanceRuleInput!) {
    updateGovernanceRule(input: $input) {
      rule {
        ...GovernanceRuleFields
      }
    }
  }
`);

export const DeleteGovernanceRuleMutation = graphql(`
  mutation DeleteGovernanceRule($input: DeleteGovernanceRuleInput!) {
    deleteGovernanceRule(input: $input) {
      id
    }
  }
`);
