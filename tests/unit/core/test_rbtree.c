/*
 * Unit tests of hv/rbtree.h.
 *
 * check_tree() verifies every red-black invariant by walking the public
 * struct fields itself, so it does not trust the code under test; the
 * randomized test compares the tree against a sorted array after every
 * batch of operations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <hv/rbtree.h>

struct item {
	struct hv_rb_node node;
	int key;
	unsigned int seq; /* insertion order, to check FIFO among equals */
};

static struct item *item_of(const struct hv_rb_node *n)
{
	return hv_rb_entry(n, struct item, node);
}

static int item_cmp(const struct hv_rb_node *a, const struct hv_rb_node *b)
{
	int ka = item_of(a)->key;
	int kb = item_of(b)->key;

	return (ka > kb) - (ka < kb);
}

static int key_cmp(const void *key, const struct hv_rb_node *n)
{
	int k = *(const int *)key;
	int nk = item_of(n)->key;

	return (k > nk) - (k < nk);
}

/* Insertion stamps a sequence number, so order among equals is checkable. */
static unsigned int next_seq;

static void insert(struct hv_rb_tree *t, struct item *it)
{
	it->seq = next_seq++;
	hv_rb_insert(t, &it->node, item_cmp);
}

static void init_items(struct item *items, size_t n, const int *keys)
{
	for (size_t i = 0; i < n; i++) {
		hv_rb_node_init(&items[i].node);
		items[i].key = keys ? keys[i] : (int)i;
	}
}

static bool red(const struct hv_rb_node *n)
{
	return n && n->red;
}

/* (key, seq) strictly increasing: sorted, and FIFO among equal keys. */
static void assert_before(const struct item *a, const struct item *b)
{
	assert_true(a->key < b->key || (a->key == b->key && a->seq < b->seq));
}

/* Checks the subtree at n; returns its black height (NULL leaves are 1). */
static int check_subtree(const struct hv_rb_node *n,
			 const struct hv_rb_node *parent, size_t *count,
			 const struct item **prev)
{
	int lh, rh;

	if (!n)
		return 1;
	assert_ptr_equal(n->parent, parent);
	assert_true(n->linked);
	if (n->red) {
		assert_false(red(n->left));
		assert_false(red(n->right));
	}
	lh = check_subtree(n->left, n, count, prev);
	if (*prev)
		assert_before(*prev, item_of(n));
	*prev = item_of(n);
	(*count)++;
	rh = check_subtree(n->right, n, count, prev);
	assert_int_equal(lh, rh);
	return lh + !n->red;
}

/* Every invariant of the tree, plus the iterators against the structure. */
static void check_tree(const struct hv_rb_tree *t)
{
	const struct item *prev = NULL;
	const struct hv_rb_node *n, *min = t->root;
	size_t count = 0, walked = 0;

	assert_false(red(t->root));
	check_subtree(t->root, NULL, &count, &prev);
	assert_int_equal(count, t->count);
	assert_int_equal(hv_rb_count(t), count);
	assert_int_equal(hv_rb_empty(t), count == 0);

	while (min && min->left)
		min = min->left;
	assert_ptr_equal(t->leftmost, min);
	assert_ptr_equal(hv_rb_first(t), min);
	/* prev is now the largest item. */
	assert_ptr_equal(t->rightmost, prev ? &prev->node : NULL);
	assert_ptr_equal(hv_rb_last(t), prev ? &prev->node : NULL);

	for (n = hv_rb_first(t); n; n = hv_rb_next(n))
		walked++;
	assert_int_equal(walked, count);
	for (n = hv_rb_last(t); n; n = hv_rb_prev(n))
		walked--;
	assert_int_equal(walked, 0);
}

/* The tree's in-order sequence is exactly want[0..n). */
static void assert_sequence(const struct hv_rb_tree *t,
			    struct item *const *want, size_t n)
{
	const struct hv_rb_node *node = hv_rb_first(t);

	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(node, &want[i]->node);
		node = hv_rb_next(node);
	}
	assert_null(node);
}

static void test_empty(void **state)
{
	struct hv_rb_tree t;
	int key = 0;

	(void)state;
	hv_rb_init(&t);
	assert_true(hv_rb_empty(&t));
	assert_int_equal(hv_rb_count(&t), 0);
	assert_null(hv_rb_first(&t));
	assert_null(hv_rb_last(&t));
	assert_null(hv_rb_find(&t, &key, key_cmp));
	assert_null(hv_rb_lower_bound(&t, &key, key_cmp));
	check_tree(&t);
}

static void test_single_node(void **state)
{
	struct hv_rb_tree t;
	struct item it;
	int key = 7, other = 8;

	(void)state;
	hv_rb_init(&t);
	init_items(&it, 1, &key);
	insert(&t, &it);
	check_tree(&t);
	assert_false(hv_rb_empty(&t));
	assert_int_equal(hv_rb_count(&t), 1);
	assert_ptr_equal(t.root, &it.node);
	assert_ptr_equal(hv_rb_first(&t), &it.node);
	assert_ptr_equal(hv_rb_last(&t), &it.node);
	assert_null(hv_rb_next(&it.node));
	assert_null(hv_rb_prev(&it.node));
	assert_ptr_equal(hv_rb_find(&t, &key, key_cmp), &it.node);
	assert_null(hv_rb_find(&t, &other, key_cmp));
	assert_null(hv_rb_lower_bound(&t, &other, key_cmp));

	hv_rb_remove(&t, &it.node);
	check_tree(&t);
	assert_true(hv_rb_empty(&t));
	assert_null(hv_rb_first(&t));
	assert_null(hv_rb_last(&t));
}

static void test_linked_flag(void **state)
{
	struct hv_rb_tree t;
	struct item a, b;

	(void)state;
	hv_rb_init(&t);
	init_items(&a, 1, NULL);
	init_items(&b, 1, NULL);
	assert_false(hv_rb_node_is_linked(&a.node));
	insert(&t, &a);
	insert(&t, &b);
	assert_true(hv_rb_node_is_linked(&a.node));
	assert_true(hv_rb_node_is_linked(&b.node));

	hv_rb_remove(&t, &a.node);
	assert_false(hv_rb_node_is_linked(&a.node));
	assert_true(hv_rb_node_is_linked(&b.node));
	/* A removed node keeps no stale links into the tree. */
	assert_null(a.node.parent);
	assert_null(a.node.left);
	assert_null(a.node.right);
	check_tree(&t);
}

static void test_iteration_order(void **state)
{
	/* A fixed shuffle of 0..15. */
	static const int keys[] = {9,  3, 14, 0,  7, 12, 5, 1,
				   15, 8, 2,  11, 6, 13, 4, 10};
	struct item items[HV_ARRAY_SIZE(keys)];
	struct hv_rb_tree t;
	const struct hv_rb_node *n;
	int want = 0;

	(void)state;
	hv_rb_init(&t);
	init_items(items, HV_ARRAY_SIZE(items), keys);
	for (size_t i = 0; i < HV_ARRAY_SIZE(items); i++) {
		insert(&t, &items[i]);
		check_tree(&t);
	}
	assert_int_equal(item_of(hv_rb_first(&t))->key, 0);
	assert_int_equal(item_of(hv_rb_last(&t))->key, 15);
	for (n = hv_rb_first(&t); n; n = hv_rb_next(n))
		assert_int_equal(item_of(n)->key, want++);
	assert_int_equal(want, 16);
	for (n = hv_rb_last(&t); n; n = hv_rb_prev(n))
		assert_int_equal(item_of(n)->key, --want);
	assert_int_equal(want, 0);
}

static void test_duplicates_fifo(void **state)
{
	static const int keys[] = {5, 3, 5, 1, 5, 3};
	struct item it[HV_ARRAY_SIZE(keys)];
	struct hv_rb_tree t;
	int k;

	(void)state;
	hv_rb_init(&t);
	init_items(it, HV_ARRAY_SIZE(it), keys);
	for (size_t i = 0; i < HV_ARRAY_SIZE(it); i++)
		insert(&t, &it[i]);
	check_tree(&t);
	{
		struct item *want[] = {&it[3], &it[1], &it[5],
				       &it[0], &it[2], &it[4]};

		assert_sequence(&t, want, HV_ARRAY_SIZE(want));
	}

	/* find and lower_bound return the first of several equals. */
	k = 5;
	assert_ptr_equal(hv_rb_find(&t, &k, key_cmp), &it[0].node);
	assert_ptr_equal(hv_rb_lower_bound(&t, &k, key_cmp), &it[0].node);
	k = 3;
	assert_ptr_equal(hv_rb_find(&t, &k, key_cmp), &it[1].node);
	k = 4;
	assert_null(hv_rb_find(&t, &k, key_cmp));
	assert_ptr_equal(hv_rb_lower_bound(&t, &k, key_cmp), &it[0].node);
	k = 0;
	assert_null(hv_rb_find(&t, &k, key_cmp));
	assert_ptr_equal(hv_rb_lower_bound(&t, &k, key_cmp), &it[3].node);
	k = 6;
	assert_null(hv_rb_find(&t, &k, key_cmp));
	assert_null(hv_rb_lower_bound(&t, &k, key_cmp));

	/* Remove the first 5: the next one in arrival order is found. */
	hv_rb_remove(&t, &it[0].node);
	k = 5;
	assert_ptr_equal(hv_rb_find(&t, &k, key_cmp), &it[2].node);
	/* Re-inserted, it goes behind the 5s still queued. */
	insert(&t, &it[0]);
	check_tree(&t);
	assert_ptr_equal(hv_rb_last(&t), &it[0].node);
	assert_ptr_equal(hv_rb_find(&t, &k, key_cmp), &it[2].node);
}

/* Many equal keys: still balanced, still in arrival order. */
static void test_all_equal(void **state)
{
	struct item it[200];
	struct hv_rb_tree t;
	const struct hv_rb_node *n;
	size_t i = 0;
	int k = 42;

	(void)state;
	hv_rb_init(&t);
	for (size_t j = 0; j < HV_ARRAY_SIZE(it); j++) {
		hv_rb_node_init(&it[j].node);
		it[j].key = k;
		insert(&t, &it[j]);
	}
	check_tree(&t);
	for (n = hv_rb_first(&t); n; n = hv_rb_next(n))
		assert_ptr_equal(n, &it[i++].node);
	assert_int_equal(i, HV_ARRAY_SIZE(it));
	assert_ptr_equal(hv_rb_find(&t, &k, key_cmp), &it[0].node);
	assert_ptr_equal(hv_rb_lower_bound(&t, &k, key_cmp), &it[0].node);
}

static bool is_leaf(const struct hv_rb_node *n)
{
	return !n->left && !n->right;
}

/* Removes n from t and checks that the rest are still there, in order. */
static void remove_and_check(struct hv_rb_tree *t, struct item *items,
			     size_t nitems, struct hv_rb_node *n)
{
	const struct hv_rb_node *walk;

	hv_rb_remove(t, n);
	assert_false(hv_rb_node_is_linked(n));
	check_tree(t);
	walk = hv_rb_first(t);
	for (size_t i = 0; i < nitems; i++) {
		if (!hv_rb_node_is_linked(&items[i].node))
			continue;
		assert_ptr_equal(walk, &items[i].node);
		walk = hv_rb_next(walk);
	}
	assert_null(walk);
}

static void test_remove_positions(void **state)
{
	struct item it[31];
	struct hv_rb_tree t;
	struct hv_rb_node *n;

	(void)state;
	hv_rb_init(&t);
	init_items(it, HV_ARRAY_SIZE(it), NULL);
	for (size_t i = 0; i < HV_ARRAY_SIZE(it); i++)
		insert(&t, &it[i]);
	check_tree(&t);

	/* The root, which has two children. */
	n = t.root;
	assert_true(n->left && n->right);
	remove_and_check(&t, it, HV_ARRAY_SIZE(it), n);

	/* A leaf. */
	for (n = hv_rb_first(&t); !is_leaf(n); n = hv_rb_next(n))
		;
	remove_and_check(&t, it, HV_ARRAY_SIZE(it), n);

	/* An internal node with two children, not the root. */
	for (n = hv_rb_first(&t); n; n = hv_rb_next(n))
		if (n != t.root && n->left && n->right)
			break;
	assert_non_null(n);
	remove_and_check(&t, it, HV_ARRAY_SIZE(it), n);

	/* A node with exactly one child. */
	for (n = hv_rb_first(&t); n; n = hv_rb_next(n))
		if (!n->left != !n->right)
			break;
	assert_non_null(n);
	remove_and_check(&t, it, HV_ARRAY_SIZE(it), n);

	/* The first and the last, then the rest from the root down. */
	remove_and_check(&t, it, HV_ARRAY_SIZE(it), hv_rb_first(&t));
	remove_and_check(&t, it, HV_ARRAY_SIZE(it), hv_rb_last(&t));
	while (t.root)
		remove_and_check(&t, it, HV_ARRAY_SIZE(it), t.root);
	assert_int_equal(hv_rb_count(&t), 0);
}

static void test_reinsert_after_remove(void **state)
{
	struct item it[8];
	struct hv_rb_tree t;

	(void)state;
	hv_rb_init(&t);
	init_items(it, HV_ARRAY_SIZE(it), NULL);
	for (size_t i = 0; i < HV_ARRAY_SIZE(it); i++)
		insert(&t, &it[i]);

	/* Move the smallest to the far end and back, twice. */
	for (int round = 0; round < 2; round++) {
		hv_rb_remove(&t, &it[0].node);
		assert_ptr_equal(hv_rb_first(&t), &it[1].node);
		it[0].key = 100;
		insert(&t, &it[0]);
		check_tree(&t);
		assert_ptr_equal(hv_rb_last(&t), &it[0].node);
		assert_ptr_equal(hv_rb_first(&t), &it[1].node);

		hv_rb_remove(&t, &it[0].node);
		it[0].key = -1;
		insert(&t, &it[0]);
		check_tree(&t);
		assert_ptr_equal(hv_rb_first(&t), &it[0].node);
		assert_int_equal(hv_rb_count(&t), HV_ARRAY_SIZE(it));
	}
}

/* xorshift64: a small PRNG with a fixed seed, so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rng(uint32_t bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % bound);
}

#define POOL 1024

/* The reference: items sorted by (key, seq). */
struct reference {
	struct item *sorted[POOL];
	size_t n;
};

static void ref_insert(struct reference *ref, struct item *it)
{
	size_t i = ref->n;

	/* it has the largest seq, so it goes after every key <= its own. */
	while (i > 0 && ref->sorted[i - 1]->key > it->key)
		i--;
	memmove(&ref->sorted[i + 1], &ref->sorted[i],
		(ref->n - i) * sizeof(ref->sorted[0]));
	ref->sorted[i] = it;
	ref->n++;
}

static void ref_remove(struct reference *ref, struct item *it)
{
	size_t i = 0;

	while (ref->sorted[i] != it)
		i++;
	memmove(&ref->sorted[i], &ref->sorted[i + 1],
		(ref->n - i - 1) * sizeof(ref->sorted[0]));
	ref->n--;
}

/* find and lower_bound against a linear search of the reference. */
static void check_lookups(const struct hv_rb_tree *t,
			  const struct reference *ref, int key)
{
	const struct hv_rb_node *want = NULL;

	for (size_t i = 0; i < ref->n; i++) {
		if (ref->sorted[i]->key >= key) {
			want = &ref->sorted[i]->node;
			break;
		}
	}
	assert_ptr_equal(hv_rb_lower_bound(t, &key, key_cmp), want);
	if (want && item_of(want)->key != key)
		want = NULL;
	assert_ptr_equal(hv_rb_find(t, &key, key_cmp), want);
}

static void swap(struct item **a, struct item **b)
{
	struct item *tmp = *a;

	*a = *b;
	*b = tmp;
}

/*
 * Tens of thousands of random inserts and removes, in phases that grow the
 * tree to full and shrink it to empty, against the sorted-array reference.
 * Keys come from a small range, so most of them have equals.
 */
static void test_random(void **state)
{
	static struct item pool[POOL];
	static struct reference ref;
	/* slots[0..ref.n) are in the tree, the rest are free. */
	static struct item *slots[POOL];
	struct hv_rb_tree t;
	unsigned int emptied = 0, filled = 0;

	(void)state;
	hv_rb_init(&t);
	init_items(pool, POOL, NULL);
	for (size_t i = 0; i < POOL; i++)
		slots[i] = &pool[i];
	for (unsigned int op = 0; op < 60000; op++) {
		bool growing = (op / 4000) % 2 == 0;
		bool add = rng(4) != 0 ? growing : !growing;
		size_t live = ref.n, i;

		if (live == 0 || live == POOL) {
			add = live == 0;
			emptied += live == 0;
			filled += live == POOL;
		}
		if (add) {
			i = live + rng((uint32_t)(POOL - live));
			slots[i]->key = (int)rng(128);
			insert(&t, slots[i]);
			ref_insert(&ref, slots[i]);
			swap(&slots[i], &slots[live]);
		} else {
			i = rng((uint32_t)live);
			hv_rb_remove(&t, &slots[i]->node);
			assert_false(hv_rb_node_is_linked(&slots[i]->node));
			ref_remove(&ref, slots[i]);
			swap(&slots[i], &slots[live - 1]);
		}
		if (op % 250 == 249) {
			check_tree(&t);
			assert_int_equal(hv_rb_count(&t), ref.n);
			assert_sequence(&t, ref.sorted, ref.n);
			check_lookups(&t, &ref, (int)rng(130) - 1);
		}
	}
	check_tree(&t);
	/* The phases really took the tree through both extremes. */
	assert_true(emptied > 1);
	assert_true(filled > 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_single_node),
	    cmocka_unit_test(test_linked_flag),
	    cmocka_unit_test(test_iteration_order),
	    cmocka_unit_test(test_duplicates_fifo),
	    cmocka_unit_test(test_all_equal),
	    cmocka_unit_test(test_remove_positions),
	    cmocka_unit_test(test_reinsert_after_remove),
	    cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
