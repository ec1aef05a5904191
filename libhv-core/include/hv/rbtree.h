/*
 * hv/rbtree.h - an intrusive red-black tree.
 *
 * Ordered sets for the schedulers (run queues by credit or deadline) and
 * the timer queue.  O(log n) insert and remove of any node, O(1) access to
 * the smallest and the largest node, O(1) insertion (plus rebalancing,
 * amortised O(1)) of a node that goes after the largest (a scheduler
 * requeueing a unit behind all others, a later timer), in-order iteration,
 * and no allocation: the caller embeds a struct hv_rb_node in its own
 * structure.
 *
 * Nodes that compare equal are kept in insertion order (a new node goes
 * after its equals), so a scheduler gets FIFO order among equal keys.
 * The tree does no locking; callers serialise access.
 */
#ifndef HV_RBTREE_H
#define HV_RBTREE_H

#include <hv/compiler.h>
#include <stdbool.h>

HV_BEGIN_DECLS

/* A node, embedded in the caller's entry (hv_rb_entry gets it back). */
struct hv_rb_node {
	struct hv_rb_node *parent;
	struct hv_rb_node *left;
	struct hv_rb_node *right;
	bool red;
	bool linked; /* in a tree; see hv_rb_node_init */
};

/* A tree; all zero (or hv_rb_init) is empty. */
struct hv_rb_tree {
	struct hv_rb_node *root;
	struct hv_rb_node *leftmost;  /* cached smallest node */
	struct hv_rb_node *rightmost; /* cached largest node */
	size_t count;		      /* nodes in it */
};

/* <0, 0 or >0 as a orders before, with or after b. */
typedef int (*hv_rb_cmp_fn)(const struct hv_rb_node *a,
			    const struct hv_rb_node *b);
/* <0, 0 or >0 as key orders before, with or after the node's key. */
typedef int (*hv_rb_key_cmp_fn)(const void *key, const struct hv_rb_node *n);

/* Make the tree empty. */
void hv_rb_init(struct hv_rb_tree *tree);

/* Mark a node as in no tree, so that hv_rb_node_is_linked works on it
 * before its first insertion. */
void hv_rb_node_init(struct hv_rb_node *node);
bool hv_rb_node_is_linked(const struct hv_rb_node *node);

/* O(log n); O(1) plus the rebalancing (amortised O(1)) when the node
 * orders with or after the largest.  The node must not be in any tree. */
void hv_rb_insert(struct hv_rb_tree *tree, struct hv_rb_node *node,
		  hv_rb_cmp_fn cmp);
/* O(log n).  The node must be in this tree; afterwards it is in none. */
void hv_rb_remove(struct hv_rb_tree *tree, struct hv_rb_node *node);

/* Smallest and largest node (O(1)), or NULL when the tree is empty. */
struct hv_rb_node *hv_rb_first(const struct hv_rb_tree *tree);
struct hv_rb_node *hv_rb_last(const struct hv_rb_tree *tree);
/* In-order neighbours (amortised O(1)), or NULL past either end. */
struct hv_rb_node *hv_rb_next(const struct hv_rb_node *node);
struct hv_rb_node *hv_rb_prev(const struct hv_rb_node *node);

/* The first node equal to key, or NULL. */
struct hv_rb_node *hv_rb_find(const struct hv_rb_tree *tree, const void *key,
			      hv_rb_key_cmp_fn cmp);
/* The first node not ordered before key (>= key), or NULL. */
struct hv_rb_node *hv_rb_lower_bound(const struct hv_rb_tree *tree,
				     const void *key, hv_rb_key_cmp_fn cmp);

/* The number of nodes, O(1). */
static inline size_t hv_rb_count(const struct hv_rb_tree *tree)
{
	return tree->count;
}

/* Whether the tree has no nodes. */
static inline bool hv_rb_empty(const struct hv_rb_tree *tree)
{
	return tree->root == NULL;
}

/* The entry of type `type` whose hv_rb_node member `member` is node. */
#define hv_rb_entry(node, type, member) hv_container_of(node, type, member)

HV_END_DECLS

#endif /* HV_RBTREE_H */
