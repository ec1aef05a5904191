"""The goal line of bench/bench_goal.h, for the Python benchmarks: a
figure measured several times, its median, min and max, and its goal,
which scripts/bench gathers into the table of goals."""
import statistics


def goal(figure, values, unit, op, target):
    """`op` is "<=" for a cost, ">=" for a rate."""
    v = sorted(values)
    print(f"goal: {figure} | {statistics.median(v):.6g} | {v[0]:.6g} | "
          f"{v[-1]:.6g} | {unit} | {op} | {target:.6g}")
