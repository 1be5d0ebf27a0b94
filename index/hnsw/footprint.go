package hnsw

import "unsafe"

// Footprint is an estimate of the memory a graph holds, in bytes, and its shape.
type Footprint struct {
	Nodes      int // nodes in the graph, tombstones included
	Tombstones int
	Layers     int // layers above 0, plus one
	Links      int // links over all layers
	Vectors    int // bytes of the vectors' indices and values
	Graph      int // bytes of link lists, their similarities and node headers
	Postings   int // bytes of the inverted lists
	Keys       int // bytes of the keys and the key map
}

// Total is the sum of the byte counts.
func (f Footprint) Total() int { return f.Vectors + f.Graph + f.Postings + f.Keys }

// Footprint measures the graph. It walks every node and list: O(N).
func (g *Graph) Footprint() Footprint {
	g.mu.RLock()
	defer g.mu.RUnlock()
	f := Footprint{Nodes: len(g.nodes), Tombstones: g.ndead}
	if ep := g.ep.Load(); ep != 0 {
		_, top := unpackEP(ep)
		f.Layers = top + 1
	}
	const sliceHdr = int(unsafe.Sizeof([]byte(nil)))
	for _, n := range g.nodes {
		f.Vectors += 10*len(n.vec.ent) + 2*sliceHdr
		f.Graph += int(unsafe.Sizeof(node{})) + 8 + 2*sliceHdr*len(n.links)
		n.mu.Lock()
		for lc := range n.links {
			f.Links += len(n.links[lc])
			f.Graph += 4*cap(n.links[lc]) + 4*cap(n.sims[lc])
		}
		n.mu.Unlock()
		f.Keys += len(n.key) + 16
	}
	f.Keys += len(g.byKey) * (16 + 4 + 8) // map entry: string header, id, overhead
	f.Postings = g.post.bytes()
	return f
}
