// JSON Schema (OpenAI tool parameters, response_format schemas) -> the OpenAPI subset Gemini's `parameters` and
// `responseSchema` accept. Unknown keys (additionalProperties, $schema, strict, ...) are dropped because Gemini answers
// 400 on them; local $refs are inlined; `type: [T, "null"]` becomes `type: T, nullable: true`.
import { isJsonObject, type JsonObject } from './gemini-api';

/** Keys Gemini's Schema object knows, copied as they are (nested schemas are handled separately). */
const KEPT_KEYS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'default',
  'minimum',
  'maximum',
  'propertyOrdering',
]);

/** $ref chains deeper than this are refused (a recursive schema cannot be inlined). */
const MAX_REFERENCE_DEPTH = 8;

export class SchemaConversionError extends Error {}

function resolveReference(reference: string, root: JsonObject): JsonObject {
  const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(reference);
  const definitions = match ? root[match[1] as string] : undefined;
  const target = match && isJsonObject(definitions) ? definitions[decodeURIComponent(match[2] as string)] : undefined;
  if (!isJsonObject(target)) throw new SchemaConversionError(`the schema reference "${reference}" cannot be resolved`);
  return target;
}

function convertNode(node: unknown, root: JsonObject, depth: number): JsonObject {
  if (!isJsonObject(node)) return {};
  if (typeof node.$ref === 'string') {
    if (depth >= MAX_REFERENCE_DEPTH) throw new SchemaConversionError('recursive schema references are not supported by Gemini');
    return convertNode(resolveReference(node.$ref, root), root, depth + 1);
  }
  const converted: JsonObject = {};
  for (const [key, value] of Object.entries(node)) if (KEPT_KEYS.has(key)) converted[key] = value;
  if (Array.isArray(node.type)) {
    const types = node.type.filter((type): type is string => typeof type === 'string');
    const nonNull = types.filter((type) => type !== 'null');
    if (nonNull.length > 0) converted.type = nonNull[0];
    else delete converted.type;
    if (types.includes('null')) converted.nullable = true;
  }
  if ('const' in node && !('enum' in node)) converted.enum = [node.const];
  if (Array.isArray(converted.enum)) converted.enum = converted.enum.map((value) => String(value));
  if (isJsonObject(node.properties)) {
    const properties: JsonObject = {};
    for (const [name, child] of Object.entries(node.properties)) properties[name] = convertNode(child, root, depth);
    converted.properties = properties;
  }
  if (node.items !== undefined) converted.items = convertNode(node.items, root, depth);
  const alternatives = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : null;
  if (alternatives) {
    const nonNull = alternatives.filter((alternative) => !(isJsonObject(alternative) && alternative.type === 'null'));
    if (nonNull.length < alternatives.length) converted.nullable = true;
    if (nonNull.length === 1) Object.assign(converted, convertNode(nonNull[0], root, depth));
    else converted.anyOf = nonNull.map((alternative) => convertNode(alternative, root, depth));
  }
  return converted;
}

export function convertJsonSchemaToGemini(schema: unknown): JsonObject {
  return convertNode(schema, isJsonObject(schema) ? schema : {}, 0);
}
