import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * Static reading of src/ for the persistence rules of the README's architecture section: which files run SQL, and
 * which tables each file's SQL names. Used by test/architecture.e2e-spec.ts.
 */
export const root = join(__dirname, '..', '..');

export function sourceFiles(dir = join(root, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [relative(root, path)] : [];
  });
}

/** The module a file belongs to: its folder directly under src/. */
export const moduleOf = (file: string): string => file.split('/')[1];

export const isRepository = (file: string): boolean => file.endsWith('.repository.ts');

/** A read model a module exports for others to query its tables (`queries/*.queries.ts`): SQL allowed, reads only. */
export const isQueryObject = (file: string): boolean => /\/queries\/[^/]+\.queries\.ts$/.test(file);

/** Statements in a file's SQL that change rows. */
export function writesIn(file: string): string[] {
  return literals(file).flatMap((text) => [...text.matchAll(/\b(INSERT\s+INTO|UPDATE\s+[a-z_]+\s+SET|DELETE\s+FROM)\b/gi)].map((match) => match[1]));
}

// Calls that reach the database: SQL text, query builders, and the EntityManager / DataSource methods that read or
// write rows. Receivers are matched by name, which is how the code names them throughout; a TypeORM Repository can
// only be had through getRepository or @InjectRepository, both flagged (our own repositories' methods are not).
const alwaysDatabase = new Set(['query', 'createQueryBuilder', 'getRepository']);
const rowMethods = new Set([
  'insert', 'update', 'delete', 'upsert', 'save', 'remove', 'softDelete', 'increment', 'decrement',
  'find', 'findOne', 'findBy', 'findOneBy', 'findOneOrFail', 'findAndCount', 'exists', 'existsBy', 'count', 'countBy',
]);
const databaseReceiver = /(^|\.)(manager|entityManager|em|dataSource|queryRunner)$/;

export interface DatabaseCall {
  line: number;
  text: string;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

export function databaseCalls(file: string): DatabaseCall[] {
  const source = parse(file);
  const calls: DatabaseCall[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const receiver = node.expression.expression.getText(source);
      if (alwaysDatabase.has(method) || (rowMethods.has(method) && databaseReceiver.test(receiver))) {
        calls.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: `${receiver}.${method}(…)` });
      }
    }
    if (ts.isDecorator(node) && /^InjectRepository\b/.test(node.expression.getText(source))) {
      calls.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: '@InjectRepository' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return calls;
}

/** The text of every string and template literal in a file (template holes left out). */
function literals(file: string): string[] {
  const source = parse(file);
  const texts: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
    else if (ts.isTemplateExpression(node)) texts.push([node.head.text, ...node.templateSpans.map((span) => ` \${} ${span.literal.text}`)].join(''));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

const tableReference = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)"?/gi;

/** Tables named by the SQL in a file: what follows FROM, JOIN, INTO, UPDATE or TABLE, kept when it is a known table. */
export function tablesNamed(file: string, knownTables: ReadonlySet<string>): Set<string> {
  const tables = new Set<string>();
  for (const text of literals(file)) {
    for (const match of text.matchAll(tableReference)) {
      const name = match[1].toLowerCase();
      if (knownTables.has(name)) tables.add(name);
    }
  }
  return tables;
}

/** Every table the migrations create. */
export function migratedTables(): Set<string> {
  const dir = join(root, 'migrations');
  const tables = new Set<string>();
  for (const name of readdirSync(dir)) {
    for (const match of readFileSync(join(dir, name), 'utf8').matchAll(/CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF NOT EXISTS\s+)?"?([a-z_][a-z0-9_]*)/gi)) {
      tables.add(match[1]);
    }
  }
  return tables;
}
