package bm25

import (
	"context"
	"math/bits"
	"slices"
)

// Block-max MaxScore over windows of documents, the way Lucene scores top-level disjunctions since
// 2022 (MaxScoreBulkScorer): the document numbers are cut into windows; in each window every term's
// bound is the highest bound of its blocks there, and the terms are split afresh into non-essential
// ones (whose window bounds together cannot lift a document into the top k) and essential ones. The
// essential terms' postings in the window are added up term at a time into a buffer (tight loops
// over arrays, no merging of cursors); only the documents whose partial score, with the
// non-essential bounds, can still reach the threshold are candidates. The non-essential terms are
// then added term at a time over the candidates, highest bound first, dropping before each term the
// candidates that cannot reach the threshold even with it (Lucene's inner window), each term by
// probing the candidates or, when it has few postings in the window for the candidates, by walking
// them beside the candidates. The survivors are scored exactly. A window whose terms' bounds sum
// below the threshold is skipped whole.

// windowSize is the number of document numbers a window covers.
const windowSize = 4096

// winTerm is a scored term with a second cursor: c accumulates the term's postings window by
// window; probe finds the term in candidate documents.
type winTerm struct {
	*term
	probe cursor
	wub   float64 // the term's bound in the current window
}

func (s *Store) disjunction(ctx context.Context, p *prepared, top *topK, st *Stats) error {
	ts := make([]*winTerm, len(p.scored))
	for i, t := range p.scored {
		ts[i] = &winTerm{term: t, probe: t.c}
	}
	// By clause, for exact scores summed in clause order.
	byIdx := slices.Clone(ts)
	slices.SortFunc(byIdx, func(a, b *winTerm) int { return a.idx - b.idx })
	order := make([]*winTerm, len(ts))
	cum := make([]float64, len(ts))
	var acc [windowSize]float64
	var seen [windowSize / 64]uint64
	cands := make([]uint32, 0, windowSize)
	sh := newScoreSheet(p.nScored)
	docs := uint32(len(s.ids))
	for ws := uint32(0); ws < docs; ws += windowSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		we := min(ws+windowSize, docs)
		theta := top.threshold()
		// Window bounds: the best block of each term that overlaps [ws, we).
		live := order[:0]
		for _, t := range ts {
			t.wub = s.windowBound(t, ws, we)
			if t.wub > 0 {
				live = append(live, t)
			}
		}
		if len(live) == 0 {
			continue
		}
		slices.SortFunc(live, func(a, b *winTerm) int {
			switch {
			case a.wub < b.wub:
				return -1
			case a.wub > b.wub:
				return 1
			}
			return a.idx - b.idx
		})
		var sum float64
		for i, t := range live {
			sum += t.wub
			cum[i] = sum
		}
		if theta >= 0 && sum < theta {
			st.BlocksSkipped++
			continue // nothing in this window can enter the top k
		}
		e := 0 // live[e:] are essential
		for e < len(live) && theta >= 0 && cum[e] < theta {
			e++
		}
		nonEss := 0.0
		if e > 0 {
			nonEss = cum[e-1]
		}
		// Accumulate the essential terms' postings in the window.
		for _, t := range live[e:] {
			t.c.advance(ws)
			s.accumulate(t.term, we, p.ln, &acc, &seen, ws)
			if t.c.blockLast != nil && t.c.pos < len(t.c.docs) {
				t.c.block = t.c.pos / blockSize
			}
		}
		// Candidates, in document order: what the essential terms found that the non-essential
		// bounds can still lift to the threshold.
		cands = cands[:0]
		for w := range seen {
			b := seen[w]
			if b == 0 {
				continue
			}
			seen[w] = 0
			for b != 0 {
				i := uint32(w<<6 + bits.TrailingZeros64(b))
				b &= b - 1
				d := ws + i
				if (theta >= 0 && acc[i]+nonEss < theta) || !s.accept(d, p) || s.excluded(d, p) {
					acc[i] = 0
					st.Pruned++
					continue
				}
				cands = append(cands, i)
			}
		}
		// The non-essential terms, highest bound first, term at a time over the candidates: before
		// each, the candidates that cannot reach the threshold even with it and the terms below are
		// dropped. The probe cursors come back to where the window found them, for the exact scores.
		for j := e - 1; j >= 0 && len(cands) > 0; j-- {
			t := live[j]
			rest := 0.0
			if j > 0 {
				rest = cum[j-1]
			}
			if theta >= 0 {
				kept := cands[:0]
				for _, i := range cands {
					if acc[i]+t.wub+rest < theta {
						acc[i] = 0
						st.Pruned++
						continue
					}
					kept = append(kept, i)
				}
				cands = kept
				if len(cands) == 0 {
					break
				}
			}
			pos, block := t.probe.pos, t.probe.block
			s.addTerm(t, ws, we, cands, &acc, p.ln)
			t.probe.pos, t.probe.block = pos, block
		}
		// The survivors, scored exactly in clause order like every other path.
		for _, i := range cands {
			partial := acc[i]
			acc[i] = 0
			d := ws + i
			if theta >= 0 && partial < theta {
				st.Pruned++
				continue
			}
			for _, t := range byIdx {
				if t.wub == 0 {
					continue
				}
				t.probe.advance(d)
				if t.probe.doc() == d {
					sh.add(t.idx, s.contributionAt(t.term, &t.probe, d, p.ln))
				}
			}
			st.Scored++
			if top.offer(sh.total(), d) && top.full() {
				theta = top.threshold()
			}
		}
	}
	for _, t := range ts {
		st.Visited += t.probe.visited
	}
	return nil
}

// accumulate adds t's contributions to the documents numbered below we, from its cursor on, into
// acc (indexed from ws) and marks them in seen, leaving the cursor on the first posting at or past
// we. The loop over both fields is written out: it is the innermost loop of a disjunction, and its
// arithmetic is contribution's, operation for operation, so the sums are the same bits.
func (s *Store) accumulate(t *term, we uint32, ln lengthNorm, acc *[windowSize]float64, seen *[windowSize / 64]uint64, ws uint32) {
	c := &t.c
	if t.field != 0 {
		for c.pos < len(c.docs) {
			d := c.docs[c.pos]
			if d >= we {
				break
			}
			if x := s.contribution(t, d, ln); x > 0 {
				i := d - ws
				acc[i] += x
				seen[i>>6] |= 1 << (i & 63)
			}
			c.pos++
			c.visited++
		}
		return
	}
	docs, tfs, dl := c.docs, c.tf[:len(c.docs)], s.dl
	k1p1, tw, w := s.params.K1+1, s.params.TitleWeight, t.w
	pos := c.pos
	for ; pos < len(docs); pos++ {
		d := docs[pos]
		if d >= we {
			break
		}
		packed := tfs[pos]
		tf := float64(tw*int(packed>>8) + int(packed&0xff))
		if tf == 0 {
			continue
		}
		x := w * (tf * k1p1 / (tf + ln.a + ln.c*float64(dl[d])))
		if x <= 0 {
			continue
		}
		i := (d - ws) & (windowSize - 1)
		acc[i] += x
		seen[i>>6] |= 1 << (i & 63)
	}
	c.visited += pos - c.pos
	c.pos = pos
}

// mergeRatio is how many postings of a term in a window may be walked for each candidate instead of
// probing the candidates one by one: a probe costs about as much as walking twenty postings.
const mergeRatio = 16

// addTerm adds t's contributions to the candidates cands (offsets from ws, increasing) in acc: by
// walking its postings in the window beside the candidates when there are few enough of them, by
// probing each candidate otherwise. It moves t's probe cursor.
func (s *Store) addTerm(t *winTerm, ws, we uint32, cands []uint32, acc *[windowSize]float64, ln lengthNorm) {
	c := &t.probe
	c.advance(ws + cands[0])
	if c.pos >= len(c.docs) {
		return
	}
	end := *c
	end.advance(we)
	if end.pos-c.pos > mergeRatio*len(cands) {
		for _, i := range cands {
			d := ws + i
			c.advance(d)
			if c.doc() == d {
				acc[i] += s.contributionAt(t.term, c, d, ln)
			}
		}
		return
	}
	k, p0 := 0, c.pos
	for c.pos < end.pos && k < len(cands) {
		d, want := c.docs[c.pos], ws+cands[k]
		switch {
		case d < want:
			c.pos++
		case d > want:
			k++
		default:
			acc[cands[k]] += s.contributionAt(t.term, c, d, ln)
			c.pos++
			k++
		}
	}
	c.visited += c.pos - p0
	if c.pos < len(c.docs) {
		c.block = c.pos / blockSize
	}
}

// windowBound is the highest score t can give a document numbered in [ws, we): the highest bound of
// its blocks overlapping the window, times its weight (0 when it has no posting there). It moves t's
// accumulation cursor's block pointer, never back.
func (s *Store) windowBound(t *winTerm, ws, we uint32) float64 {
	c := &t.c
	if c.pos >= len(c.docs) {
		return 0
	}
	if c.docs[c.pos] < ws && !c.seekBlock(ws) {
		return 0
	}
	if c.blockLast == nil {
		return t.ub
	}
	var m float32
	for b := c.block; b < len(c.blockLast); b++ {
		first := uint32(0)
		if b > 0 {
			first = c.blockLast[b-1] + 1
		}
		if first >= we {
			break
		}
		if c.blockLast[b] >= ws {
			m = max(m, c.blockMax[b])
		}
	}
	return min(float64(m)*t.bmul, t.ub)
}
