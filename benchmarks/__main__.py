"""`make bench`: every benchmark, printed as numbers and ratios against the alternative."""
import importlib
import sys

# Each module has main() -> None and prints its own table. Add a module here to add a benchmark.
MODULES = ["benchmarks.classify", "benchmarks.notebooks", "benchmarks.simulator", "benchmarks.grading"]

if __name__ == "__main__":
    only = sys.argv[1:]
    for name in MODULES:
        if only and name.split(".")[-1] not in only:
            continue
        print(f"\n=== {name} ===", flush=True)
        importlib.import_module(name).main()
