/*
 * hv/list.h - intrusive circular doubly-linked lists.
 *
 * The caller embeds a struct hv_list in its own structure and gets back to
 * it with hv_container_of; the list never allocates.  A head is a struct
 * hv_list that is not embedded in an entry.  A removed node is re-pointed at
 * itself, so removing it twice is harmless and hv_list_is_linked tells.
 */
#ifndef HV_LIST_H
#define HV_LIST_H

#include <hv/compiler.h>
#include <stdbool.h>

HV_BEGIN_DECLS

/* A list head, or a node embedded in an entry. */
struct hv_list {
	struct hv_list *next;
	struct hv_list *prev;
};

/* An empty list head `name`, as a static initialiser. */
#define HV_LIST_INIT(name)                                                     \
	{                                                                      \
		&(name), &(name)                                               \
	}

/* Make l an empty list (or an unlinked node). */
static inline void hv_list_init(struct hv_list *l)
{
	l->next = l;
	l->prev = l;
}

/* Whether the list has no nodes. */
static inline bool hv_list_empty(const struct hv_list *head)
{
	return head->next == head;
}

/* For a node: whether it is on some list. */
static inline bool hv_list_is_linked(const struct hv_list *node)
{
	return node->next != node;
}

/* Link node between two adjacent nodes (or a head and its neighbour). */
static inline void hv_list_insert_between(struct hv_list *node,
					  struct hv_list *prev,
					  struct hv_list *next)
{
	node->prev = prev;
	node->next = next;
	prev->next = node;
	next->prev = node;
}

/* Add node first on the list. */
static inline void hv_list_add_head(struct hv_list *head, struct hv_list *node)
{
	hv_list_insert_between(node, head, head->next);
}

/* Add node last on the list. */
static inline void hv_list_add_tail(struct hv_list *head, struct hv_list *node)
{
	hv_list_insert_between(node, head->prev, head);
}

/* Take node off its list; it is then unlinked (and may be taken again). */
static inline void hv_list_del(struct hv_list *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	hv_list_init(node);
}

/* Move node from its list to the end of this one. */
static inline void hv_list_move_tail(struct hv_list *head, struct hv_list *node)
{
	hv_list_del(node);
	hv_list_add_tail(head, node);
}

/* The first node, or NULL when the list is empty. */
static inline struct hv_list *hv_list_first(const struct hv_list *head)
{
	return hv_list_empty(head) ? NULL : head->next;
}

/* The last node, or NULL when the list is empty. */
static inline struct hv_list *hv_list_last(const struct hv_list *head)
{
	return hv_list_empty(head) ? NULL : head->prev;
}

/* Move every node of `from` to the tail of `to`; `from` ends up empty. */
static inline void hv_list_splice_tail(struct hv_list *to, struct hv_list *from)
{
	if (hv_list_empty(from))
		return;
	from->next->prev = to->prev;
	to->prev->next = from->next;
	from->prev->next = to;
	to->prev = from->prev;
	hv_list_init(from);
}

/* The number of nodes (a walk of the list). */
static inline size_t hv_list_count(const struct hv_list *head)
{
	size_t n = 0;

	for (const struct hv_list *p = head->next; p != head; p = p->next)
		n++;
	return n;
}

/* The entry of type `type` whose hv_list member `member` is node. */
#define hv_list_entry(node, type, member) hv_container_of(node, type, member)

/* Iterate over nodes; the _safe form allows hv_list_del(pos) in the body. */
#define hv_list_for_each(pos, head)                                            \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)
#define hv_list_for_each_safe(pos, tmp, head)                                  \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head);       \
	     (pos) = (tmp), (tmp) = (pos)->next)

HV_END_DECLS

#endif /* HV_LIST_H */
