import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, OperationTypeNode, parse, SelectionSetNode } from 'graphql';
import ts from 'typescript';

// A static scan rather than a runtime record: it needs no server, cannot depend on which files this run selected or
// on how jest spread them over workers, and a document only counts when graphql's own parser accepts it.
const ROOT = join(__dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(path);
    return /\.(e2e-spec|spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Every string and template literal of a file; a template's substitutions become a name so the document still parses. */
function literals(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    else if (ts.isTemplateExpression(node)) found.push(node.head.text + node.templateSpans.map((span) => `x${span.literal.text}`).join(''));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function rootFields(selectionSet: SelectionSetNode, into: Set<string>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFields(selection.selectionSet, into);
  }
}

const ROOT_TYPES: Record<OperationTypeNode, string> = {
  [OperationTypeNode.QUERY]: 'Query',
  [OperationTypeNode.MUTATION]: 'Mutation',
  [OperationTypeNode.SUBSCRIPTION]: 'Subscription',
};

/** Root fields sent by the tests, as `Query.name` and `Mutation.name`. */
export function sentRootFields(files: string[]): Set<string> {
  const sent = new Set<string>();
  for (const file of files) {
    for (const text of literals(file)) {
      if (!/^\s*(query|mutation|subscription|\{)/.test(text)) continue;
      let document;
      try {
        document = parse(text);
      } catch {
        continue;
      }
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const fields = new Set<string>();
        rootFields(definition.selectionSet, fields);
        const type = ROOT_TYPES[definition.operation];
        for (const field of fields) if (!field.startsWith('__')) sent.add(`${type}.${field}`);
      }
    }
  }
  return sent;
}

describe('GraphQL root fields', () => {
  it('are each sent by at least one test', () => {
    const schema = buildSchema(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));
    const declared = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
    );
    const sent = sentRootFields(testFiles(join(ROOT, 'test')));
    expect(declared.filter((field) => !sent.has(field))).toEqual([]);
  });

  it('only counts documents graphql parses', () => {
    const sent = sentRootFields([__filename]);
    // This file's own strings hold no operation; a regex over them would have found "query" and "mutation".
    expect([...sent]).toEqual([]);
  });
});
