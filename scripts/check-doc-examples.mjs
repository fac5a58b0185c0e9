// Compiles every `@example` in the doc comments under src/, so that none shows code that does not
// work. Each example becomes an async function in a file of its own that sees, by name, what the
// package exports (the root and /simulator) and what its own file exports, plus a few values an
// example may take as given (declared in PRELUDE below: ids, a signed-in client…). Strict, as a
// user's project would be.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');
const OUT = path.join(ROOT, 'node_modules', '.cache', 'doc-examples');

/** The values an example may use without making them: what a reader already has in hand. */
const PRELUDE = `
import type { ReactNode } from 'react';
import type { Observable } from 'rxjs';
declare const root: { render(node: ReactNode): void };
declare function App(): ReactNode;
declare function useQuery<T>(options: { queryKey: readonly unknown[]; queryFn: (context: { signal: AbortSignal }) => Promise<T> }): { data?: T };
declare const q: string;
declare const formData: OnboardInput;
declare const userId: string;
declare const documentId: string;
declare const aiWorkflowId: string;
declare const templateId: string;
declare const id: string;
declare const email: string;
declare const password: string;
declare const err: unknown;
declare const baseUrls: Record<ServiceName, string>;
declare const http: HttpClient;
declare const session: Session | null;
declare const identity: IdentityClient;
declare const communication: CommunicationClient;
declare const breakers: Record<ServiceName, CircuitBreaker>;
declare const orchestrator: ServiceOrchestrator;
declare const hub: Hub;
declare const source$: Observable<unknown>;
declare const notificationRequests$: Observable<NotificationRequest>;
declare const getDocument$: (id: string) => Observable<DocumentDetail>;
declare const emit: (event: object) => void;
`;

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') || name.endsWith('.tsx') ? [full] : [];
  });
}

/** The code of each `@example` tag in a file, with the line it starts on. */
function examplesOf(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const match of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const comment = match[1];
    for (const part of comment.split(/^\s*\*\s*@example\b.*$/m).slice(1)) {
      const body = part.split(/^\s*\*\s*@\w+/m)[0];
      const code = body
        .split('\n')
        .map((line) => line.replace(/^\s*\* ?/, ''))
        .join('\n')
        .trim();
      if (code) found.push({ code, line: text.slice(0, match.index).split('\n').length });
    }
  }
  return found;
}

const options = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  // Examples of the React bindings are TSX.
  jsx: ts.JsxEmit.ReactJSX,
};

/** The names a module exports, values and types alike. */
function exportNames(program, file) {
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file));
  return symbol ? checker.getExportsOfModule(symbol).map((exported) => exported.getName()) : [];
}

const files = sourceFiles(SRC);
const examples = files.flatMap((file) => examplesOf(file).map((example) => ({ ...example, file })));
const entries = [path.join(SRC, 'index.ts'), path.join(SRC, 'simulator', 'index.ts')];
const lookup = ts.createProgram([...entries, ...new Set(examples.map((example) => example.file))], options);

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const generated = examples.map((example, index) => {
  const seen = new Set();
  const imports = [];
  for (const module of [example.file, ...entries]) {
    const names = exportNames(lookup, module).filter((name) => !seen.has(name) && name !== 'default');
    names.forEach((name) => seen.add(name));
    const specifier = path
      .relative(OUT, module)
      .replace(/\\/g, '/')
      .replace(/\.tsx?$/, '');
    if (names.length > 0) imports.push(`import { ${names.join(', ')} } from '${specifier}';`);
  }
  const rxjs = ['firstValueFrom', 'map', 'mergeMap'].filter((name) => !seen.has(name));
  const file = path.join(OUT, `example${index}.tsx`);
  const header = `${imports.join('\n')}\nimport { ${rxjs.join(', ')} } from 'rxjs';\n${PRELUDE}\n`;
  writeFileSync(file, `${header}export async function example(): Promise<void> {\n${example.code}\n}\n`);
  return { ...example, out: file, offset: header.split('\n').length };
});

const program = ts.createProgram(
  generated.map((example) => example.out),
  options,
);
const problems = [];
for (const example of generated) {
  const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(example.out));
  for (const diagnostic of diagnostics) {
    // Unused declarations of the prelude and of the example itself are fine in a snippet.
    if (diagnostic.code === 6133 || diagnostic.code === 6196) continue;
    const where = diagnostic.start === undefined ? 0 : diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line;
    const line = example.line + Math.max(0, where - example.offset);
    problems.push(`${path.relative(ROOT, example.file)}:${line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`);
  }
}
if (problems.length > 0) {
  console.error(`check-doc-examples: ${problems.length} problem(s) in ${examples.length} examples:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`check-doc-examples: ${examples.length} examples in ${new Set(examples.map((e) => e.file)).size} files compile`);
