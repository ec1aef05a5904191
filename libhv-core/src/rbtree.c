/*
 * An intrusive red-black tree (CLRS, chapter 13), with NULL leaves.
 *
 * Invariants, between calls:
 *  - the root is black, and no red node has a red child;
 *  - every path from a node down to a NULL leaf has the same number of
 *    black nodes;
 *  - an in-order walk is sorted by cmp, and nodes that compare equal are
 *    in insertion order (insertion sends equals to the right);
 *  - leftmost is the first node of the in-order walk, rightmost the last,
 *    count the number of nodes, and a node is `linked` exactly while it
 *    is in a tree.
 *
 * The left and right cases of the rebalancing are mirror images; they are
 * written once, with `dir` naming the side, rather than twice.
 */
#include <hv/rbtree.h>

enum { LEFT = 0, RIGHT = 1 };

static struct hv_rb_node **child(struct hv_rb_node *n, int dir)
{
	return dir == LEFT ? &n->left : &n->right;
}

/* NULL leaves are black. */
static bool is_red(const struct hv_rb_node *n)
{
	return n && n->red;
}

/* The side of its parent that n (not the root) hangs on. */
static int side_of(const struct hv_rb_node *n)
{
	return n == n->parent->left ? LEFT : RIGHT;
}

/* Put `new` (which may be NULL) where `old` hangs under `parent`. */
static void replace_child(struct hv_rb_tree *tree, struct hv_rb_node *parent,
			  struct hv_rb_node *old, struct hv_rb_node *new)
{
	if (!parent)
		tree->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new)
		new->parent = parent;
}

/*
 * Move x down towards `dir`: its child on the other side takes x's place
 * and x becomes that child's `dir` child.  In-order sequence is unchanged.
 */
static void rotate(struct hv_rb_tree *tree, struct hv_rb_node *x, int dir)
{
	struct hv_rb_node *y = *child(x, !dir);
	struct hv_rb_node *inner = *child(y, dir);

	*child(x, !dir) = inner;
	if (inner)
		inner->parent = x;
	replace_child(tree, x->parent, x, y);
	*child(y, dir) = x;
	x->parent = y;
}

/* The last node reached going towards `dir` from n (n non-NULL). */
static struct hv_rb_node *extreme(struct hv_rb_node *n, int dir)
{
	while (*child(n, dir))
		n = *child(n, dir);
	return n;
}

/* The in-order neighbour of n towards `dir`, or NULL past the end. */
static struct hv_rb_node *step(struct hv_rb_node *n, int dir)
{
	if (*child(n, dir))
		return extreme(*child(n, dir), !dir);
	while (n->parent && n == *child(n->parent, dir))
		n = n->parent;
	return n->parent;
}

void hv_rb_init(struct hv_rb_tree *tree)
{
	tree->root = NULL;
	tree->leftmost = NULL;
	tree->rightmost = NULL;
	tree->count = 0;
}

void hv_rb_node_init(struct hv_rb_node *node)
{
	node->parent = NULL;
	node->left = NULL;
	node->right = NULL;
	node->red = false;
	node->linked = false;
}

bool hv_rb_node_is_linked(const struct hv_rb_node *node)
{
	return node->linked;
}

/* Restore the invariants after n was linked in red. */
static void insert_fixup(struct hv_rb_tree *tree, struct hv_rb_node *n)
{
	struct hv_rb_node *p;

	/* Only "red n under red p" can be broken; p red means p is not the
	 * root, so the grandparent exists. */
	while ((p = n->parent) && p->red) {
		struct hv_rb_node *g = p->parent;
		int dir = side_of(p);
		struct hv_rb_node *uncle = *child(g, !dir);

		if (is_red(uncle)) {
			/* Push g's blackness down; the problem moves up. */
			p->red = false;
			uncle->red = false;
			g->red = true;
			n = g;
			continue;
		}
		if (n == *child(p, !dir)) {
			/* Inner grandchild: turn it into the outer case. */
			rotate(tree, p, dir);
			n = p;
			p = n->parent;
		}
		p->red = false;
		g->red = true;
		rotate(tree, g, !dir);
		break;
	}
	tree->root->red = false;
}

void hv_rb_insert(struct hv_rb_tree *tree, struct hv_rb_node *node,
		  hv_rb_cmp_fn cmp)
{
	struct hv_rb_node *parent = NULL;
	struct hv_rb_node **link = &tree->root;
	bool leftmost = true, rightmost = true;

	/* A node that orders with or after the largest goes where the walk
	 * below would take it, the largest's (empty) right, without the walk:
	 * the common case of a queue served in order. */
	if (tree->rightmost && cmp(node, tree->rightmost) >= 0) {
		parent = tree->rightmost;
		link = &parent->right;
		leftmost = false;
	}
	/* Equal keys go right, so a new node follows its equals. */
	while (*link) {
		parent = *link;
		if (cmp(node, parent) < 0) {
			link = &parent->left;
			rightmost = false;
		} else {
			link = &parent->right;
			leftmost = false;
		}
	}
	node->parent = parent;
	node->left = NULL;
	node->right = NULL;
	node->red = true;
	node->linked = true;
	*link = node;
	if (leftmost)
		tree->leftmost = node;
	if (rightmost)
		tree->rightmost = node;
	tree->count++;
	insert_fixup(tree, node);
}

/*
 * Restore the black heights after a black node was unlinked from the place
 * x (possibly a NULL leaf) now occupies under parent: the paths through x
 * are one black short.
 */
static void remove_fixup(struct hv_rb_tree *tree, struct hv_rb_node *x,
			 struct hv_rb_node *parent)
{
	while (x != tree->root && !is_red(x)) {
		/* x == NULL cannot be ambiguous here: x's sibling carries
		 * at least one black node, so it is not NULL. */
		int dir = x == parent->left ? LEFT : RIGHT;
		struct hv_rb_node *sib = *child(parent, !dir);

		if (sib->red) {
			/* Make the sibling black, keeping heights. */
			sib->red = false;
			parent->red = true;
			rotate(tree, parent, dir);
			sib = *child(parent, !dir);
		}
		if (!is_red(sib->left) && !is_red(sib->right)) {
			/* Shorten the sibling's side too; move up. */
			sib->red = true;
			x = parent;
			parent = x->parent;
			continue;
		}
		if (!is_red(*child(sib, !dir))) {
			/* Inner nephew red: make it the outer one. */
			(*child(sib, dir))->red = false;
			sib->red = true;
			rotate(tree, sib, !dir);
			sib = *child(parent, !dir);
		}
		/* Outer nephew red: rotate a black node onto x's side. */
		sib->red = parent->red;
		parent->red = false;
		(*child(sib, !dir))->red = false;
		rotate(tree, parent, dir);
		x = tree->root;
	}
	if (x)
		x->red = false;
}

void hv_rb_remove(struct hv_rb_tree *tree, struct hv_rb_node *node)
{
	struct hv_rb_node *x, *parent;
	bool removed_red;

	if (tree->leftmost == node)
		tree->leftmost = step(node, RIGHT);
	if (tree->rightmost == node)
		tree->rightmost = step(node, LEFT);

	if (!node->left || !node->right) {
		/* At most one child: it takes node's place. */
		x = node->left ? node->left : node->right;
		parent = node->parent;
		removed_red = node->red;
		replace_child(tree, parent, node, x);
	} else {
		/* Two children: node's successor y (which has no left
		 * child) takes node's place and colour, so the black node
		 * that really leaves the tree is at y's old place. */
		struct hv_rb_node *y = extreme(node->right, LEFT);

		removed_red = y->red;
		x = y->right;
		if (y->parent == node) {
			parent = y;
		} else {
			parent = y->parent;
			replace_child(tree, parent, y, x);
			y->right = node->right;
			y->right->parent = y;
		}
		replace_child(tree, node->parent, node, y);
		y->left = node->left;
		y->left->parent = y;
		y->red = node->red;
	}
	tree->count--;
	hv_rb_node_init(node);
	if (!removed_red)
		remove_fixup(tree, x, parent);
}

struct hv_rb_node *hv_rb_first(const struct hv_rb_tree *tree)
{
	return tree->leftmost;
}

struct hv_rb_node *hv_rb_last(const struct hv_rb_tree *tree)
{
	return tree->rightmost;
}

/*
 * The iterators take const nodes (a walk does not change the tree) but
 * return them writable: the nodes are the caller's own.
 */
struct hv_rb_node *hv_rb_next(const struct hv_rb_node *node)
{
	return step((struct hv_rb_node *)node, RIGHT);
}

struct hv_rb_node *hv_rb_prev(const struct hv_rb_node *node)
{
	return step((struct hv_rb_node *)node, LEFT);
}

struct hv_rb_node *hv_rb_lower_bound(const struct hv_rb_tree *tree,
				     const void *key, hv_rb_key_cmp_fn cmp)
{
	struct hv_rb_node *n = tree->root;
	struct hv_rb_node *found = NULL;

	/* Going left on equal finds the first of several equal nodes. */
	while (n) {
		if (cmp(key, n) <= 0) {
			found = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return found;
}

struct hv_rb_node *hv_rb_find(const struct hv_rb_tree *tree, const void *key,
			      hv_rb_key_cmp_fn cmp)
{
	struct hv_rb_node *n = hv_rb_lower_bound(tree, key, cmp);

	return n && cmp(key, n) == 0 ? n : NULL;
}
