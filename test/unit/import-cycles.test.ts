// The source has no import cycles (issue 13): modules form layers a reader can follow, and a cycle is
// usually a sign that one module holds two things. Type-only imports count too: they tie modules together
// for the reader just the same.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/tools.ts';

const sourceFolders = ['activities', 'api', 'bench', 'db', 'domain', 'engines', 'platform', 'scripts', 'system', 'worker', 'workflows'];
const importSpecifier = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(projectRoot, folder), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(projectRoot, path.join(e.parentPath, e.name)));
}

/** Every cycle's members (strongly connected components of more than one module, or a module importing itself). */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const members: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        members.push(w);
      } while (w !== v);
      if (members.length > 1 || graph.get(v)?.includes(v)) cycles.push(members.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('imports', () => {
  it('finds a cycle where there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('form no cycles in the source', () => {
    const files = sourceFolders.flatMap(sourceFiles);
    const known = new Set(files);
    const graph = new Map(
      files.map((file) => {
        const text = readFileSync(path.join(projectRoot, file), 'utf8');
        const targets = [...text.matchAll(importSpecifier)].map((m) => path.normalize(path.join(path.dirname(file), m[1]!)));
        return [file, targets.filter((t) => known.has(t))] as const;
      }),
    );
    expect(files.length).toBeGreaterThan(150);
    expect(importCycles(graph)).toEqual([]);
  });
});
