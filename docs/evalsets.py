#!/usr/bin/env python3
"""Derive the extra dev sets the README's "Measured: related papers" table uses.

  evalsets.py qbd  SCIFACT_DIR OUT_DIR
      SciFact query-by-document: every abstract judged relevant to a training claim that has two or
      more relevant abstracts becomes a query; the claim's other relevant abstracts are its relevant
      papers. Writes qbd.qrels.tsv (for kindred eval --task related) and qbd.queries.jsonl (the
      abstracts' titles and texts, for --task similar).

  evalsets.py pasted CORPUS.jsonl.gz QRELS OUT_DIR [SEED]
      The query papers of an author-proxy qrels file as pasted text: sim.queries.jsonl (title, a blank
      line, abstract) and pdf.queries.jsonl (the abstract as copied from a PDF: lines broken near 70
      columns, half the words that cross a break cut with a hyphen, "fi" and "fl" as ligatures).
      Also writes minus.jsonl.gz, the corpus without the query papers, for indexing them out.
"""
import collections
import gzip
import json
import os
import random
import sys


def qbd(scifact, out):
    rel = collections.defaultdict(set)
    with open(os.path.join(scifact, "qrels", "train.tsv")) as f:
        next(f)
        for line in f:
            q, d, s = line.split()
            if int(s) > 0:
                rel[q].add(d)
    qr = collections.defaultdict(set)
    for ds in rel.values():
        if len(ds) >= 2:
            for d in ds:
                qr[d] |= ds - {d}
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "qbd.qrels.tsv"), "w") as f:
        f.write("query-id\tcorpus-id\tscore\n")
        for d in sorted(qr):
            for r in sorted(qr[d]):
                f.write(f"{d}\t{r}\t1\n")
    with open(os.path.join(scifact, "corpus.jsonl")) as f, open(os.path.join(out, "qbd.queries.jsonl"), "w") as g:
        for line in f:
            p = json.loads(line)
            if p["_id"] in qr:
                g.write(json.dumps({"_id": p["_id"], "text": (p.get("title", "") + ". " + p["text"]).strip()}) + "\n")
    print(f"{len(qr)} queries, {sum(len(v) for v in qr.values())} judgements")


def pdfish(text, rng):
    out, col = [], 0
    for w in text.split():
        if col + len(w) > 70 and len(w) > 6 and rng.random() < 0.5:
            k = len(w) // 2
            out.append(w[:k] + "-\n" + w[k:])
            col = len(w) - k
        elif col + len(w) > 70:
            out.append("\n" + w)
            col = len(w)
        else:
            out.append(w)
            col += len(w) + 1
    return " ".join(out).replace(" \n", "\n").replace("fi", "\ufb01").replace("fl", "\ufb02")


def pasted(corpus, qrels, out, seed=7):
    with open(qrels) as f:
        next(f)
        ids = {line.split("\t")[0] for line in f}
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    n = 0
    with gzip.open(corpus, "rt") as f, open(os.path.join(out, "sim.queries.jsonl"), "w") as sim, \
            open(os.path.join(out, "pdf.queries.jsonl"), "w") as pdf, \
            gzip.open(os.path.join(out, "minus.jsonl.gz"), "wt") as minus:
        for line in f:
            p = json.loads(line)
            if p.get("id") not in ids:
                minus.write(line)
                continue
            n += 1
            sim.write(json.dumps({"_id": p["id"], "text": p["title"] + "\n\n" + p["abstract"]}) + "\n")
            pdf.write(json.dumps({"_id": p["id"], "text": pdfish(p["abstract"], rng)}) + "\n")
    print(f"{n} queries")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "qbd":
        qbd(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 5 and sys.argv[1] == "pasted":
        pasted(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]) if len(sys.argv) > 5 else 7)
    else:
        sys.exit(__doc__)
