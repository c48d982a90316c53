"""Scores sentence splitters side by side: golden-rules accuracy and MB/s on the seeds' text.

Usage: python bench/peers.py PATH/TO/claimdiff   (run through bench/peers.sh)
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "fixtures/segmentation/golden_en.jsonl"
TARGET_BYTES = 5 * 1024 * 1024


def corpus_text():
    """The seeds' bodies (en, nl, nb), repeated to about 5 MB."""
    bodies = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text.startswith(" date "):
            text = text.split(" ", 3)[3]
        bodies.append(text)
    one = "\n\n".join(bodies)
    return (one + "\n\n") * (TARGET_BYTES // len(one.encode()) + 1)


def claimdiff_splitter(binary):
    def split_many(cases):
        request = "".join(
            json.dumps({"id": i, "lang": lang, "text": text}) + "\n"
            for i, (lang, text) in enumerate(cases)
        )
        out = subprocess.run(
            [binary, "split", "--input-format", "jsonl", "-"],
            input=request.encode(), capture_output=True, check=True,
        ).stdout.decode()
        return [json.loads(line)["sentences"] for line in out.splitlines()]

    return split_many


def claimdiff_seconds(binary, text):
    """Best of three wall times of `claimdiff split` over `text`."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(text)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([binary, "split", "--lang", "en", f.name], stdout=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def python_splitter(name):
    if name == "pysbd":
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        one = lambda lang, text: [s.strip() for s in seg.segment(text) if s.strip()]
    elif name == "sentencex":
        from sentencex import segment

        one = lambda lang, text: [s.strip() for s in segment(lang, text) if s.strip()]
    else:
        import blingfire

        one = lambda lang, text: [s for s in blingfire.text_to_sentences(text).split("\n") if s]
    return lambda cases: [one(lang, text) for lang, text in cases]


def main():
    binary = sys.argv[1]
    cases = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line]
    text = corpus_text()
    megabytes = len(text.encode()) / 1e6
    splitters = [("claimdiff", claimdiff_splitter(binary))] + [
        (name, python_splitter(name)) for name in ("pysbd", "sentencex", "blingfire")
    ]
    print(f"{'splitter':<12} {'golden (no note)':>17} {'golden (all)':>13} {'MB/s':>9}")
    for name, split_many in splitters:
        got = split_many([("en", c["text"]) for c in cases])
        ok = [g == c["expected"] for g, c in zip(got, cases)]
        plain = [o for o, c in zip(ok, cases) if "note" not in c]
        paragraphs = [("en", p) for p in text.split("\n\n") if p.strip()]
        if name == "claimdiff":
            # The process start and the rule loading are timed on a one-line file and taken off.
            seconds = claimdiff_seconds(binary, text) - claimdiff_seconds(binary, "One line.")
        else:
            budget = paragraphs[: max(1, len(paragraphs) // (200 if name == "pysbd" else 1))]
            size = sum(len(p.encode()) for _, p in budget) / 1e6
            start = time.perf_counter()
            split_many(budget)
            seconds = (time.perf_counter() - start) * megabytes / size
        print(f"{name:<12} {sum(plain):>10}/{len(plain):<6} {sum(ok):>6}/{len(ok):<6} {megabytes / seconds:>9.2f}")


if __name__ == "__main__":
    main()
