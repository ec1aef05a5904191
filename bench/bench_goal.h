/*
 * Figures with goals (docs: issue 15, "Performance"): a figure is
 * measured REPS times and reported as its median, min and max, with its
 * goal beside it, in a line scripts/bench collects into the table of
 * goals it prints at the end of `make bench`:
 *
 *   goal: FIGURE | MEDIAN | MIN | MAX | UNIT | <= or >= | TARGET
 *
 * Header-only: each benchmark program includes it.
 */
#ifndef BENCH_GOAL_H
#define BENCH_GOAL_H

#include <stdio.h>
#include <stdlib.h>

#define BENCH_REPS 5

struct bench_figure {
	double median, min, max;
};

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Run measure(ctx) BENCH_REPS times: the median, min and max. */
static inline struct bench_figure bench_repeat(double (*measure)(void *ctx),
					       void *ctx)
{
	double v[BENCH_REPS];
	struct bench_figure f;

	for (unsigned int i = 0; i < BENCH_REPS; i++)
		v[i] = measure(ctx);
	qsort(v, BENCH_REPS, sizeof(v[0]), bench_cmp_double);
	f.median = v[BENCH_REPS / 2];
	f.min = v[0];
	f.max = v[BENCH_REPS - 1];
	return f;
}

/* The goal line for scripts/bench; `at_most`: the goal is an upper bound
 * (a cost), else a lower one (a rate). */
static inline void bench_goal(const char *figure, struct bench_figure f,
			      const char *unit, int at_most, double target)
{
	printf("goal: %s | %.6g | %.6g | %.6g | %s | %s | %.6g\n", figure,
	       f.median, f.min, f.max, unit, at_most ? "<=" : ">=", target);
}

#endif /* BENCH_GOAL_H */
