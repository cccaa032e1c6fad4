import { Graph, layout } from '@dagrejs/dagre';
import { artifactHref, navigate } from '../router';

export interface LineageNode {
  readonly id: string;
  readonly name: string;
}
export interface LineageLink {
  readonly parent: string;
  readonly child: string;
  readonly relationship: string;
}

const NODE_WIDTH = 190;
const NODE_HEIGHT = 44;

/** Names longer than a node fit are shortened; the full name is the link's accessible name. */
const fit = (name: string) => (name.length > 24 ? `${name.slice(0, 23)}…` : name);

/**
 * Parents above children, laid out by dagre, drawn as SVG. Every other model is a link (Tab
 * reaches it, Enter opens it); the current one is marked in words and by a thicker border.
 */
export default function LineageGraph({ nodes, links, currentId }: { nodes: readonly LineageNode[]; links: readonly LineageLink[]; currentId: string }) {
  const graph = new Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 48, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const link of links) graph.setEdge(link.parent, link.child, {});
  layout(graph);
  const size = graph.graph();
  const width = Math.max(size.width ?? 0, NODE_WIDTH);
  const height = Math.max(size.height ?? 0, NODE_HEIGHT);
  return (
    <div className="graph-wrap">
      <svg className="lineage" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="group" aria-label="Lineage graph: parents above their children">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#374151" />
          </marker>
        </defs>
        {links.map((link) => {
          const edge = graph.edge(link.parent, link.child);
          const points: readonly { x: number; y: number }[] = edge?.points ?? [];
          if (points.length === 0) return null;
          const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
          return <path key={`${link.parent}-${link.child}`} d={d} className="edge" markerEnd="url(#arrow)" aria-hidden="true" />;
        })}
        {nodes.map((node) => {
          const placed = graph.node(node.id);
          if (!placed) return null;
          const x = placed.x - NODE_WIDTH / 2;
          const y = placed.y - NODE_HEIGHT / 2;
          const current = node.id === currentId;
          const box = (
            <>
              <rect x={x} y={y} width={NODE_WIDTH} height={NODE_HEIGHT} rx={6} className={current ? 'node current' : 'node'} />
              <text x={placed.x} y={placed.y + 5} textAnchor="middle" className="node-label">
                {fit(node.name)}
                {current ? ' (this)' : ''}
              </text>
            </>
          );
          if (current) {
            return (
              <g key={node.id} aria-label={`${node.name} (this model)`} role="img">
                {box}
              </g>
            );
          }
          const href = artifactHref(node.id);
          return (
            <a
              key={node.id}
              href={href}
              aria-label={`Open ${node.name}`}
              className="node-link"
              onClick={(event) => {
                if (event.metaKey || event.ctrlKey || event.shiftKey) return;
                event.preventDefault();
                navigate(href);
              }}
            >
              {box}
            </a>
          );
        })}
      </svg>
    </div>
  );
}
