"""Two Nimbus builds side by side on one small-operation workload of the storage benchmark.

Both servers start together, with the same data, and their wrk runs take turns, so both see the
same machine: on the 2-core VM, the speed of a bare SwiftNIO server drifts by a fifth within
minutes, more than most single changes gain. Each run is checked as in storage.py (every response,
and every acknowledged write stored); the medians and their ratio are printed.

    python3 Benchmarks/storage_ab.py BASELINE_BIN CANDIDATE_BIN ddb-get --connections 16 --rounds 5
"""

import argparse
import shutil
import statistics
import tempfile

import storage


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", help="the nimbus binary measured first in every round")
    parser.add_argument("candidate", help="the nimbus binary compared with it")
    parser.add_argument("workload", choices=("s3-put", "s3-get", "ddb-put", "ddb-get", "ddb-query"))
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--rounds", type=int, default=5, help="runs per build, median reported (default 5)")
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run (default 3)")
    parser.add_argument("--nimbus-durability", choices=("disk", "process"), default="disk")
    args = parser.parse_args()
    storage.NIMBUS_DURABILITY = args.nimbus_durability

    root = tempfile.mkdtemp(prefix="nimbus-storage-ab-")
    peers = []
    try:
        for name, binary in (("baseline", args.baseline), ("candidate", args.candidate)):
            peer = storage.Peer(name, root)
            peers.append(peer)  # registered first: stopped in `finally` whatever happens
            storage.start_nimbus(peer, binary)
            storage.prepare_s3(peer) if args.workload.startswith("s3") else storage.prepare_dynamo(peer)

        runs = {peer.name: [] for peer in peers}
        for round_ in range(args.rounds):
            for peer in peers:
                sample = storage.small_operations(
                    peer, args.workload, args.connections, args.duration, f"ab{round_}")
                storage.log(f"{args.workload} c={args.connections} {peer.name}: "
                            f"{sample['ops']:,.0f} ops/s, p50 {sample['p50']:.2f} ms")
                runs[peer.name].append(sample)

        medians = {}
        for name, samples in runs.items():
            ops = statistics.median(s["ops"] for s in samples)
            p50 = statistics.median(s["p50"] for s in samples)
            medians[name] = ops
            each = " ".join(f"{s['ops']:,.0f}/{s['p50']:.2f}" for s in samples)
            print(f"{name}: {ops:,.0f} ops/s, p50 {p50:.2f} ms (median of {len(samples)}; ops/s / p50 ms: {each})")
        print(f"candidate / baseline: {medians['candidate'] / medians['baseline']:.2f}× "
              f"({args.workload}, {args.connections} connections)")
    finally:
        for peer in peers:
            peer.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
