/**
 * Document issues for the UI: validation of the current document (memoised per
 * document object, which immer keeps stable until something changes) and the
 * issues of a refused run, grouped by the node or wire they point at.
 */
import type { DocIssue, GraphDocument } from '../../engine/format/document.ts';
import { validateDocument } from '../../engine/format/load.ts';

const cache = new WeakMap<GraphDocument, readonly DocIssue[]>();

/** Validation errors of `doc`, computed once per document version. */
export function documentIssues(doc: GraphDocument): readonly DocIssue[] {
  let issues = cache.get(doc);
  if (!issues) {
    issues = validateDocument(doc);
    cache.set(doc, issues);
  }
  return issues;
}

export interface IssueIndex {
  readonly byNode: ReadonlyMap<string, readonly DocIssue[]>;
  readonly byEdge: ReadonlyMap<string, readonly DocIssue[]>;
  /** Issues about neither a node nor a wire (simulation settings, meta). */
  readonly general: readonly DocIssue[];
}

export function indexIssues(...lists: readonly (readonly DocIssue[])[]): IssueIndex {
  const byNode = new Map<string, DocIssue[]>();
  const byEdge = new Map<string, DocIssue[]>();
  const general: DocIssue[] = [];
  const seen = new Set<string>();
  for (const list of lists) {
    for (const issue of list) {
      // A refused run repeats the validation issues; show each once.
      const key = `${issue.pointer}\u0000${issue.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (issue.nodeId !== undefined) push(byNode, issue.nodeId, issue);
      else if (issue.edgeId !== undefined) push(byEdge, issue.edgeId, issue);
      else general.push(issue);
    }
  }
  return { byNode, byEdge, general };
}

function push(map: Map<string, DocIssue[]>, key: string, issue: DocIssue): void {
  const list = map.get(key);
  if (list) list.push(issue);
  else map.set(key, [issue]);
}

/** The issue about `field` in a list, if any. */
export function fieldIssue(issues: readonly DocIssue[] | undefined, field: string): DocIssue | undefined {
  return issues?.find((i) => i.field === field);
}
