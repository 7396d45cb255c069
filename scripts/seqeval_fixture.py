#!/usr/bin/env python3
"""Writes tests/fixtures/seqeval.json: random valid IOB2 tag sequences (gold and predicted)
and the scores seqeval gives them in strict IOB2 mode. Run once with seqeval installed
(`.venv/bin/pip install seqeval`); the Rust tests compare vaner's scorer to these numbers
without needing Python."""
import json, random
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
from seqeval.scheme import IOB2

LABELS = ["PER", "TITLE", "ORG", "DATE", "DIRECTIVE"]
rng = random.Random(2026)

def sequence(n):
    tags, prev = [], "O"
    for _ in range(n):
        r = rng.random()
        if prev != "O" and r < 0.45:
            tags.append("I-" + prev[2:])
        elif r < 0.7:
            tags.append("O")
        else:
            tags.append("B-" + rng.choice(LABELS))
        prev = tags[-1]
    return tags

def perturb(gold):
    pred = list(gold)
    for i in range(len(pred)):
        if rng.random() < 0.15:
            pred[i] = rng.choice(["O"] + ["B-" + l for l in LABELS] + ["I-" + l for l in LABELS])
    # repair to a valid IOB2 sequence: an I- that does not continue its label becomes B-
    for i, t in enumerate(pred):
        if t.startswith("I-") and (i == 0 or pred[i - 1] == "O" or pred[i - 1][2:] != t[2:]):
            pred[i] = "B-" + t[2:]
    return pred

docs = []
for d in range(12):
    g = sequence(rng.randint(20, 120))
    docs.append({"gold": g, "pred": perturb(g)})
y_true = [d["gold"] for d in docs]
y_pred = [d["pred"] for d in docs]
rep = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
out = {
    "docs": docs,
    "micro": {"p": precision_score(y_true, y_pred, mode="strict", scheme=IOB2),
              "r": recall_score(y_true, y_pred, mode="strict", scheme=IOB2),
              "f1": f1_score(y_true, y_pred, mode="strict", scheme=IOB2)},
    "labels": {l: {"p": v["precision"], "r": v["recall"], "f1": v["f1-score"], "support": int(v["support"])}
               for l, v in rep.items() if l in LABELS},
    "macro": {"p": rep["macro avg"]["precision"], "r": rep["macro avg"]["recall"], "f1": rep["macro avg"]["f1-score"]},
}
json.dump(out, open("tests/fixtures/seqeval.json", "w"), indent=1)
print(json.dumps(out["micro"]), json.dumps(out["macro"]))
