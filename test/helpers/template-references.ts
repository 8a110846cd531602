/**
 * The context variables a Nunjucks template reads, found by parsing it (nunjucks' own parser), not
 * by rendering it: every branch counts, whichever values a fixture happens to have. Includes and
 * `{% extends %}` are followed (a child's blocks replace its layout's), names a template binds
 * itself (`set`, `for`, `loop`) are not context reads, and filter names are not variables.
 */
import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';

/** A read such as `x.install.cache` → ['x', 'install', 'cache'] (up to the first computed key). */
export type Reference = string[];

interface NjkNode {
  typename: string;
  fields: string[];
  [field: string]: unknown;
}

// The parser is undocumented in the typings; its nodes carry `typename` and `fields`.
const parser = (nunjucks as unknown as { parser: { parse(src: string, ext: unknown[], opts: object): NjkNode } }).parser;

function isNode(v: unknown): v is NjkNode {
  return typeof v === 'object' && v !== null && typeof (v as NjkNode).typename === 'string';
}

function children(node: NjkNode): unknown[] {
  const kids = node.fields.map((f) => node[f]);
  return 'children' in node ? [...kids, ...(node.children as unknown[])] : kids;
}

function symbolNames(target: unknown): string[] {
  if (Array.isArray(target)) return target.flatMap(symbolNames);
  if (!isNode(target)) return [];
  if (target.typename === 'Symbol') return [String(target.value)];
  return children(target).flatMap(symbolNames);
}

export class TemplateReader {
  private readonly parsed = new Map<string, NjkNode>();
  constructor(private readonly root: string) {}

  /** Every context read of `name` and of what it includes or extends. */
  references(name: string): Reference[] {
    const out: Reference[] = [];
    this.walkTemplate(name, new Set(), out, new Map());
    return out;
  }

  private parse(name: string): NjkNode {
    let ast = this.parsed.get(name);
    if (!ast) {
      ast = parser.parse(fs.readFileSync(path.join(this.root, name), 'utf8'), [], { trimBlocks: true, lstripBlocks: true });
      this.parsed.set(name, ast);
    }
    return ast;
  }

  private walkTemplate(name: string, bound: Set<string>, out: Reference[], blocks: Map<string, NjkNode>): void {
    const ast = this.parse(name);
    const parent = this.findExtends(ast);
    if (parent === null) {
      this.walk(ast, bound, out, blocks);
      return;
    }
    // The most derived block wins: a child's definition is registered before its layout's.
    const own = new Map(blocks);
    this.collectBlocks(ast, own);
    // Only `set`s at the child's top level reach the layout; its other text is not rendered.
    for (const c of (ast.children as unknown[]).filter(isNode)) if (c.typename === 'Set') this.walk(c, bound, out, own);
    this.walkTemplate(parent, bound, out, own);
  }

  private findExtends(ast: NjkNode): string | null {
    for (const c of (ast.children as unknown[]).filter(isNode)) {
      if (c.typename === 'Extends') return this.literalName(c.template, 'extends');
    }
    return null;
  }

  private collectBlocks(node: unknown, into: Map<string, NjkNode>): void {
    if (Array.isArray(node)) return node.forEach((n) => this.collectBlocks(n, into));
    if (!isNode(node)) return;
    if (node.typename === 'Block') {
      const blockName = String((node.name as NjkNode).value);
      if (!into.has(blockName)) into.set(blockName, node);
    }
    for (const c of children(node)) this.collectBlocks(c, into);
  }

  private literalName(template: unknown, what: string): string {
    if (isNode(template) && template.typename === 'Literal') return String(template.value);
    throw new Error(`${what} with a computed template name cannot be followed`);
  }

  private walk(node: unknown, bound: Set<string>, out: Reference[], blocks: Map<string, NjkNode>): void {
    if (Array.isArray(node)) return node.forEach((n) => this.walk(n, bound, out, blocks));
    if (!isNode(node)) return;
    switch (node.typename) {
      case 'Symbol':
        if (!bound.has(String(node.value))) out.push([String(node.value)]);
        return;
      case 'LookupVal': {
        const chain: unknown[] = [];
        let cur: unknown = node;
        while (isNode(cur) && cur.typename === 'LookupVal') {
          chain.unshift(cur.val);
          cur = cur.target;
        }
        if (isNode(cur) && cur.typename === 'Symbol') {
          const ref = [String(cur.value)];
          for (const key of chain) {
            if (!isNode(key) || key.typename !== 'Literal') break;
            ref.push(String(key.value));
          }
          if (!bound.has(ref[0]!)) out.push(ref);
        } else this.walk(cur, bound, out, blocks);
        // Computed keys (`kv[i]`) are reads of their own.
        for (const key of chain) if (!(isNode(key) && key.typename === 'Literal')) this.walk(key, bound, out, blocks);
        return;
      }
      case 'Filter':
      case 'FilterAsync':
        // The filter's name is not a variable; its input and arguments are.
        this.walk(node.args, bound, out, blocks);
        return;
      case 'Is':
        // `x is defined`: the test name is not a variable.
        this.walk(node.left, bound, out, blocks);
        return;
      case 'Set':
        this.walk(node.value, bound, out, blocks);
        this.walk(node.body, bound, out, blocks);
        for (const n of symbolNames(node.targets)) bound.add(n);
        return;
      case 'For':
      case 'AsyncEach':
      case 'AsyncAll': {
        this.walk(node.arr, bound, out, blocks);
        const inner = new Set([...bound, 'loop', ...symbolNames(node.name)]);
        this.walk(node.body, inner, out, blocks);
        this.walk(node.else_, bound, out, blocks);
        return;
      }
      case 'Macro':
        throw new Error('macros are not followed by this reader: add them here before using one in a template');
      case 'Include':
        this.walkTemplate(this.literalName(node.template, 'include'), bound, out, new Map());
        return;
      case 'Block':
        this.walk(blocks.get(String((node.name as NjkNode).value))?.body ?? node.body, bound, out, blocks);
        return;
      case 'Extends':
        return;
      default:
        for (const c of children(node)) this.walk(c, bound, out, blocks);
    }
  }
}

/**
 * The reads of `refs` that `context` does not have: each step into a plain object must name one of
 * its keys. A step into anything else (an array's `length`, a string, a function, null) ends the
 * check there: the type of those values is not an object of named keys.
 */
export function missingKeys(refs: Reference[], context: object): string[] {
  const missing = new Set<string>();
  for (const ref of refs) {
    let value: unknown = context;
    for (let i = 0; i < ref.length; i++) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) break;
      if (!Object.prototype.hasOwnProperty.call(value, ref[i]!)) {
        missing.add(ref.slice(0, i + 1).join('.'));
        break;
      }
      value = (value as Record<string, unknown>)[ref[i]!];
    }
  }
  return [...missing].sort();
}
