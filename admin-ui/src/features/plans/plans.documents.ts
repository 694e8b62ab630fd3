// GraphQL documents of the plans feature (admin). Allowances are integer credits per period.
import { graphql } from '../../gql';

export const PlanFieldsFragment = graphql(`
  fragment PlanFields on Plan {
    id
    name
    period
    allowance
    rolloverCap
    models
    groups
    price
    active
    createdAt
  }
`);

export const PlansQuery = graphql(`
  query Plans {
    plans {
      ...PlanFields
    }
  }
`);

export const CreatePlanMutation = graphql(`
  mutation CreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      ...PlanFields
    }
  }
`);

export const UpdatePlanMutation = graphql(`
  mutation UpdatePlan($input: UpdatePlanInput!) {
    updatePlan(input: $input) {
      ...PlanFields
    }
  }
`);

export const AssignPlanMutation = graphql(`
  mutation AssignPlan($input: AssignPlanInput!) {
    assignPlan(input: $input) {
      id
      planId
      userId
      endsAt
    }
  }
`);

export const AssignPlanToGroupMutation = graphql(`
  mutation AssignPlanToGroup($input: AssignPlanToGroupInput!) {
    assignPlanToGroup(input: $input)
  }
`);
