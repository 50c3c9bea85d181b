"""Classifier speed: one case, a batch, the CLI, and `import dmst`.

The alternative a user would otherwise use is the CLI one process per case (how another
tool calls it without the batch form), so the table shows both and their ratio.
"""
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from dmst import classify, load_law
from dmst.case import CONDUCT, PURPOSES, STATUSES

TARGETS = {"single_ms": 1.0, "batch_10k_s": 2.0, "cli_10k_work_s": 2.0, "import_s": 0.3}


def synthetic_cases(n, seed=2012):
    rng = random.Random(seed)
    return [{"id": f"b{i}", "age": rng.randint(0, 40), "purpose": rng.choice(PURPOSES), "status": rng.choice(STATUSES),
             "anything_of_value": rng.random() < .7, "force_fraud_or_coercion": rng.random() < .3,
             "crossed_state_lines": rng.random() < .2, "arrested_for_prostitution": rng.random() < .1,
             "actors": [{"name": f"A{j}", "conduct": rng.sample(CONDUCT, rng.randint(0, 4))} for j in range(rng.randint(0, 3))]}
            for i in range(n)]


def _import_time(runs=7):
    code = "import time; t=time.perf_counter(); import dmst; print(time.perf_counter()-t)"
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
             for _ in range(runs)]
    return statistics.median(times)


def main():
    law = load_law()
    cases = synthetic_cases(10_000)
    day = "2026-11-28"
    classify(cases[0], day, law)  # warm the per-date law cache
    single = []
    for c in cases[:2000]:
        t = time.perf_counter()
        classify(c, day, law)
        single.append(time.perf_counter() - t)
    batches = []
    for _ in range(3):
        t = time.perf_counter()
        for c in cases:
            classify(c, day, law)
        batches.append(time.perf_counter() - t)
    batch = min(batches)

    dmst = str(Path(sys.executable).with_name("dmst"))
    payload = json.dumps(cases[:1000])
    t = time.perf_counter()
    subprocess.run([dmst, "classify", "--as-of", day], input=payload, capture_output=True, text=True, check=True)
    cli_batch = time.perf_counter() - t
    # 10,000 cases through the CLI: "work" is the child's CPU time (user + system), best of 3 runs
    # (the timeit convention: the least disturbed run), with the median beside it.
    works, walls = [], []
    payload_10k = json.dumps(cases)
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        out = subprocess.run([dmst, "classify", "--as-of", day], input=payload_10k, capture_output=True,
                             text=True, check=True).stdout
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        works.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    cli_10k_work, cli_10k_wall = min(works), min(walls)
    per_process = []
    for c in cases[:10]:
        t = time.perf_counter()
        subprocess.run([dmst, "classify", "--as-of", day], input=json.dumps(c), capture_output=True, text=True, check=True)
        per_process.append(time.perf_counter() - t)
    one_proc = statistics.median(per_process)
    imp = _import_time()

    single_ms = statistics.median(single) * 1000
    rows = [
        ("classify one case (median)", f"{single_ms:.3f} ms", f"target < {TARGETS['single_ms']} ms"),
        ("classify one case (p99)", f"{sorted(single)[int(len(single) * .99)] * 1000:.3f} ms", ""),
        ("classify 10,000 cases in-process, best of 3", f"{batch:.2f} s ({10_000 / batch:,.0f} cases/s)",
         f"target < {TARGETS['batch_10k_s']} s"),
        ("CLI, 1,000 cases as one JSON array", f"{cli_batch:.2f} s ({1000 / cli_batch:,.0f} cases/s)", ""),
        ("CLI, 10,000 cases as one JSON array: work", f"{cli_10k_work:.2f} s CPU, best of 3 (median "
         f"{statistics.median(works):.2f} s; {cli_10k_wall:.2f} s wall; {len(out) / 1e6:.0f} MB out)",
         f"target < {TARGETS['cli_10k_work_s']} s"),
        ("CLI, one process per case (median)", f"{one_proc * 1000:.0f} ms/case ({1 / one_proc:,.1f} cases/s)",
         f"batch CLI is {one_proc * 1000 / cli_batch:,.0f}x faster per case"),
        ("import dmst (median of 7)", f"{imp * 1000:.0f} ms", f"target < {TARGETS['import_s'] * 1000:.0f} ms"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:<28} {note}")
    ok = (single_ms < TARGETS["single_ms"] and batch < TARGETS["batch_10k_s"] and imp < TARGETS["import_s"]
          and cli_10k_work < TARGETS["cli_10k_work_s"])
    print("targets met" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
