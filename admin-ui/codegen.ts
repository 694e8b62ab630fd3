// Generates typed documents for every graphql() call under src/ from the committed contract schema.
import type { CodegenConfig } from '@graphql-codegen/cli';

const configuration: CodegenConfig = {
  schema: '../schema/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: {
        // Fragment masking is not used: pages read the fields they query directly.
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          SafeInt: 'number',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
  },
};

export default configuration;
