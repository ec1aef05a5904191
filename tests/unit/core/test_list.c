/*
 * hv/list.h: every operation, checking the whole ring both ways after each
 * change, so that a broken prev link fails as surely as a broken next.
 */
#include <hv/list.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

struct item {
	int value;
	struct hv_list node; /* not first: container_of must subtract */
};

#define NITEMS 6

static struct item items[NITEMS];

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < NITEMS; i++) {
		items[i].value = i;
		hv_list_init(&items[i].node);
	}
	return 0;
}

static int value_of(const struct hv_list *node)
{
	return hv_list_entry(node, struct item, node)->value;
}

/* The list holds exactly values[0..n), in order, both ways round. */
static void assert_list(const struct hv_list *head, const int *values, size_t n)
{
	const struct hv_list *p = head->next;

	for (size_t i = 0; i < n; i++, p = p->next) {
		assert_ptr_not_equal(p, head);
		assert_int_equal(value_of(p), values[i]);
		assert_ptr_equal(p->next->prev, p);
	}
	assert_ptr_equal(p, head);
	p = head->prev;
	for (size_t i = n; i-- > 0; p = p->prev)
		assert_int_equal(value_of(p), values[i]);
	assert_ptr_equal(p, head);
	assert_int_equal(hv_list_count(head), n);
	assert_int_equal(hv_list_empty(head), n == 0);
}

static void add_tail_items(struct hv_list *head, int from, int to)
{
	for (int i = from; i < to; i++)
		hv_list_add_tail(head, &items[i].node);
}

static void init_gives_empty_list(void **state)
{
	struct hv_list dynamic;
	struct hv_list fixed = HV_LIST_INIT(fixed);

	(void)state;
	hv_list_init(&dynamic);
	assert_ptr_equal(fixed.next, &fixed);
	assert_ptr_equal(fixed.prev, &fixed);
	assert_ptr_equal(dynamic.next, &dynamic);
	assert_ptr_equal(dynamic.prev, &dynamic);
	assert_true(hv_list_empty(&fixed));
	assert_true(hv_list_empty(&dynamic));
	assert_int_equal(hv_list_count(&fixed), 0);
	assert_null(hv_list_first(&fixed));
	assert_null(hv_list_last(&dynamic));
}

static void add_tail_keeps_order(void **state)
{
	struct hv_list head = HV_LIST_INIT(head);
	static const int want[] = {0, 1, 2};

	(void)state;
	add_tail_items(&head, 0, 3);
	assert_list(&head, want, 3);
	assert_ptr_equal(hv_list_first(&head), &items[0].node);
	assert_ptr_equal(hv_list_last(&head), &items[2].node);
}

static void add_head_reverses_order(void **state)
{
	struct hv_list head = HV_LIST_INIT(head);
	static const int want[] = {2, 1, 0};

	(void)state;
	for (int i = 0; i < 3; i++)
		hv_list_add_head(&head, &items[i].node);
	assert_list(&head, want, 3);
	assert_ptr_equal(hv_list_first(&head), &items[2].node);
	assert_ptr_equal(hv_list_last(&head), &items[0].node);
}

static void del_unlinks_and_twice_is_harmless(void **state)
{
	struct hv_list head = HV_LIST_INIT(head);
	static const int after_middle[] = {0, 2};
	static const int after_first[] = {2};

	(void)state;
	add_tail_items(&head, 0, 3);
	hv_list_del(&items[1].node);
	assert_list(&head, after_middle, 2);
	assert_false(hv_list_is_linked(&items[1].node));
	assert_ptr_equal(items[1].node.next, &items[1].node);
	assert_ptr_equal(items[1].node.prev, &items[1].node);

	hv_list_del(&items[1].node);
	assert_list(&head, after_middle, 2);

	hv_list_del(&items[0].node);
	assert_list(&head, after_first, 1);
	hv_list_del(&items[2].node);
	assert_list(&head, NULL, 0);
	assert_null(hv_list_first(&head));
}

static void is_linked_follows_membership(void **state)
{
	struct hv_list head = HV_LIST_INIT(head);

	(void)state;
	assert_false(hv_list_is_linked(&items[0].node));
	hv_list_add_tail(&head, &items[0].node);
	assert_true(hv_list_is_linked(&items[0].node));
	assert_true(hv_list_is_linked(&head));
	hv_list_del(&items[0].node);
	assert_false(hv_list_is_linked(&items[0].node));
}

static void move_tail_within_and_between_lists(void **state)
{
	struct hv_list a = HV_LIST_INIT(a);
	struct hv_list b = HV_LIST_INIT(b);
	static const int rotated[] = {1, 2, 0};
	static const int a_left[] = {1, 0};
	static const int b_got[] = {3, 2};

	(void)state;
	add_tail_items(&a, 0, 3);
	hv_list_move_tail(&a, &items[0].node);
	assert_list(&a, rotated, 3);

	hv_list_add_tail(&b, &items[3].node);
	hv_list_move_tail(&b, &items[2].node);
	assert_list(&a, a_left, 2);
	assert_list(&b, b_got, 2);

	/* Moving the last node to the tail changes nothing. */
	hv_list_move_tail(&b, &items[2].node);
	assert_list(&b, b_got, 2);
	/* An unlinked node is simply added. */
	hv_list_move_tail(&b, &items[5].node);
	assert_int_equal(value_of(hv_list_last(&b)), 5);
}

static void splice_tail_appends_and_empties_from(void **state)
{
	struct hv_list to = HV_LIST_INIT(to);
	struct hv_list from = HV_LIST_INIT(from);
	static const int all[] = {0, 1, 2, 3, 4};

	(void)state;
	add_tail_items(&to, 0, 2);
	add_tail_items(&from, 2, 5);
	hv_list_splice_tail(&to, &from);
	assert_list(&to, all, 5);
	assert_list(&from, NULL, 0);
}

static void splice_tail_empty_from(void **state)
{
	struct hv_list to = HV_LIST_INIT(to);
	struct hv_list from = HV_LIST_INIT(from);
	static const int two[] = {0, 1};

	(void)state;
	add_tail_items(&to, 0, 2);
	hv_list_splice_tail(&to, &from);
	assert_list(&to, two, 2);
	assert_list(&from, NULL, 0);

	hv_list_init(&to);
	hv_list_splice_tail(&to, &from);
	assert_list(&to, NULL, 0);
	assert_list(&from, NULL, 0);
}

static void splice_tail_empty_to(void **state)
{
	struct hv_list to = HV_LIST_INIT(to);
	struct hv_list from = HV_LIST_INIT(from);
	static const int three[] = {3, 4, 5};

	(void)state;
	add_tail_items(&from, 3, 6);
	hv_list_splice_tail(&to, &from);
	assert_list(&to, three, 3);
	assert_list(&from, NULL, 0);
	/* The spliced nodes belong to `to` now: deleting one fixes its ring. */
	hv_list_del(&items[4].node);
	assert_int_equal(hv_list_count(&to), 2);
	assert_ptr_equal(to.next->next, to.prev);
}

static void count_counts(void **state)
{
	struct hv_list head = HV_LIST_INIT(head);

	(void)state;
	for (int i = 0; i < NITEMS; i++) {
		assert_int_equal(hv_list_count(&head), (size_t)i);
		hv_list_add_head(&head, &items[i].node);
	}
	assert_int_equal(hv_list_count(&head), NITEMS);
}

static void for_each_visits_in_order(void **state)
{
	struct hv_list head = HV_LIST_INIT(head);
	struct hv_list *pos;
	int next = 0;

	(void)state;
	add_tail_items(&head, 0, NITEMS);
	hv_list_for_each (pos, &head) {
		assert_int_equal(value_of(pos), next);
		next++;
	}
	assert_int_equal(next, NITEMS);
	hv_list_init(&head);
	hv_list_for_each (pos, &head) {
		fail();
	}
}

static void for_each_safe_allows_deleting(void **state)
{
	struct hv_list head = HV_LIST_INIT(head);
	struct hv_list *pos, *tmp;
	static const int odd[] = {1, 3, 5};
	int visited = 0;

	(void)state;
	add_tail_items(&head, 0, NITEMS);
	hv_list_for_each_safe (pos, tmp, &head) {
		assert_int_equal(value_of(pos), visited);
		visited++;
		if (value_of(pos) % 2 == 0)
			hv_list_del(pos);
	}
	assert_int_equal(visited, NITEMS);
	assert_list(&head, odd, 3);

	hv_list_for_each_safe (pos, tmp, &head) {
		hv_list_del(pos);
	}
	assert_list(&head, NULL, 0);
	for (int i = 0; i < NITEMS; i++)
		assert_false(hv_list_is_linked(&items[i].node));
}

static void entry_finds_the_container(void **state)
{
	struct hv_list *node = &items[3].node;
	const struct item *it = hv_list_entry(node, struct item, node);

	(void)state;
	assert_int_not_equal(offsetof(struct item, node), 0);
	assert_ptr_equal(it, &items[3]);
	assert_ptr_equal(hv_container_of(node, struct item, node), &items[3]);
	assert_int_equal(it->value, 3);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(init_gives_empty_list),
	    T(add_tail_keeps_order),
	    T(add_head_reverses_order),
	    T(del_unlinks_and_twice_is_harmless),
	    T(is_linked_follows_membership),
	    T(move_tail_within_and_between_lists),
	    T(splice_tail_appends_and_empties_from),
	    T(splice_tail_empty_from),
	    T(splice_tail_empty_to),
	    T(count_counts),
	    T(for_each_visits_in_order),
	    T(for_each_safe_allows_deleting),
	    T(entry_finds_the_container),
	};

	return cmocka_run_group_tests_name("list", tests, NULL, NULL);
}
