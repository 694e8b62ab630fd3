// Writes the GraphQL SDL (sorted, so diffs are stable) to schema/schema.graphql. CI fails when the file drifts.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildGraphqlSchema } from './schema';

export const SCHEMA_FILE = resolve(__dirname, '../../../schema/schema.graphql');

export async function printGraphqlSchema(): Promise<string> {
  const schema = await buildGraphqlSchema();
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

export async function emitSchema(target = SCHEMA_FILE): Promise<string> {
  const sdl = await printGraphqlSchema();
  writeFileSync(target, sdl);
  return target;
}

if (require.main === module) {
  emitSchema(process.argv[2] ? resolve(process.argv[2]) : SCHEMA_FILE)
    .then((target) => process.stdout.write(`wrote ${target}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
