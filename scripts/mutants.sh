#!/usr/bin/env bash
# Mutation testing of the numeric modules with cargo-mutants (too slow for CI; not in .ci/run).
#
#   scripts/mutants.sh                 every mutant of the numeric modules (≈ 6 200; about a minute each here)
#   scripts/mutants.sh --sample 100    a systematic 1-in-100 sample (round-robin shard 0/100), for an estimate
#   scripts/mutants.sh --module stats  one module only (combinable with --sample)
#   scripts/mutants.sh --sample 150 --offset 1   another systematic sample, disjoint from offset 0 (shard 1/150)
#
# The unit tests (`cargo test --lib`) are the oracle: they assert closed forms, identities and certificates, so a
# mutant they do not catch is either a missing test or equivalent (listed with the reason in docs/mutants.md).
# Output: mutants.out/ (cargo-mutants' own folder: caught.txt, missed.txt, timeout.txt, unviable.txt, outcomes.json);
# the summary line at the end gives caught / viable with a Clopper–Pearson 95% interval when sampling.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=(stats kernels linalg convex flow nets data)
sample=""
offset=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sample) sample="$2"; shift 2 ;;
    --module) modules=("$2"); shift 2 ;;
    --offset) offset="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v cargo-mutants >/dev/null || cargo install --locked cargo-mutants
files=()
for m in "${modules[@]}"; do files+=(-f "src/$m/**"); done
shard=()
[[ -n "$sample" ]] && shard=(--shard "$offset/$sample" --sharding round-robin)
cargo mutants "${files[@]}" "${shard[@]}" --profile mutants --timeout 600 --no-shuffle -- --lib || true
python3 - <<'PY'
import json
from statistics import NormalDist
o = json.load(open("mutants.out/outcomes.json"))
counts = {}
for m in o["outcomes"]:
    if m.get("scenario") == "Baseline":
        continue
    s = m["summary"]
    counts[s] = counts.get(s, 0) + 1
caught = counts.get("CaughtMutant", 0) + counts.get("Timeout", 0)
viable = caught + counts.get("MissedMutant", 0)
print("outcomes:", counts)
if viable:
    # Clopper–Pearson 95% interval for the caught fraction (beta quantiles by bisection on the binomial tail)
    from math import comb
    def tail_ge(k, n, p):  # P[X >= k]
        return sum(comb(n, i) * p**i * (1 - p)**(n - i) for i in range(k, n + 1))
    def solve(f, target):
        lo, hi = 0.0, 1.0
        for _ in range(100):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if f(mid) < target else (lo, mid)
        return (lo + hi) / 2
    k, n = caught, viable
    lo = 0.0 if k == 0 else solve(lambda p: tail_ge(k, n, p), 0.025)
    hi = 1.0 if k == n else solve(lambda p: tail_ge(k + 1, n, p), 0.975)
    print(f"caught / viable = {k}/{n} = {k/n:.3f} (Clopper–Pearson 95%: [{lo:.3f}, {hi:.3f}])")
PY
