/*
 * hv/bitmap.h - bitmaps over arrays of unsigned long.
 *
 * Bit n lives in word n / HV_BITS_PER_LONG at position n % HV_BITS_PER_LONG,
 * the layout Xen uses for the event-channel bitmaps it shares with guests.
 * Functions that take nbits never read or change bits at or beyond nbits,
 * so a bitmap may share its last word with nothing in particular.
 * The *_atomic functions may be used on memory shared with other CPUs or
 * with a guest; the rest may not.
 */
#ifndef HV_BITMAP_H
#define HV_BITMAP_H

#include <hv/compiler.h>
#include <limits.h>
#include <stdbool.h>

HV_BEGIN_DECLS

/* Bits in a word of a bitmap; the words a bitmap of nbits takes; a
 * bitmap `name` of nbits bits (all three as Xen's). */
#define HV_BITS_PER_LONG (sizeof(unsigned long) * CHAR_BIT)
#define HV_BITMAP_WORDS(nbits)                                                 \
	(((nbits) + HV_BITS_PER_LONG - 1) / HV_BITS_PER_LONG)
#define HV_DECLARE_BITMAP(name, nbits)                                         \
	unsigned long name[HV_BITMAP_WORDS(nbits)]

/* Where bit `bit` is: its mask in its word, and that word's index. */
static inline unsigned long hv_bit_mask(size_t bit)
{
	return 1UL << (bit % HV_BITS_PER_LONG);
}

/* The index of the word that holds bit `bit`. */
static inline size_t hv_bit_word(size_t bit)
{
	return bit / HV_BITS_PER_LONG;
}

/* Whether bit `bit` is set (not atomic: the map's owner alone). */
static inline bool hv_bitmap_test(const unsigned long *map, size_t bit)
{
	return (map[hv_bit_word(bit)] & hv_bit_mask(bit)) != 0;
}

/* Set bit `bit` (not atomic). */
static inline void hv_bitmap_set(unsigned long *map, size_t bit)
{
	map[hv_bit_word(bit)] |= hv_bit_mask(bit);
}

/* Clear bit `bit` (not atomic). */
static inline void hv_bitmap_clear(unsigned long *map, size_t bit)
{
	map[hv_bit_word(bit)] &= ~hv_bit_mask(bit);
}

/* Atomic single-bit operations; test_and_* return the bit's old value. */
bool hv_bitmap_test_atomic(const unsigned long *map, size_t bit);
void hv_bitmap_set_atomic(unsigned long *map, size_t bit);
void hv_bitmap_clear_atomic(unsigned long *map, size_t bit);
bool hv_bitmap_test_and_set_atomic(unsigned long *map, size_t bit);
bool hv_bitmap_test_and_clear_atomic(unsigned long *map, size_t bit);

/* Whole-map operations on bits [0, nbits). */
void hv_bitmap_zero(unsigned long *map, size_t nbits);
void hv_bitmap_fill(unsigned long *map, size_t nbits);
void hv_bitmap_copy(unsigned long *dst, const unsigned long *src, size_t nbits);
bool hv_bitmap_empty(const unsigned long *map, size_t nbits);
bool hv_bitmap_full(const unsigned long *map, size_t nbits);
bool hv_bitmap_equal(const unsigned long *a, const unsigned long *b,
		     size_t nbits);
size_t hv_bitmap_weight(const unsigned long *map, size_t nbits);

/* dst = a op b; dst may be a or b. */
void hv_bitmap_and(unsigned long *dst, const unsigned long *a,
		   const unsigned long *b, size_t nbits);
void hv_bitmap_or(unsigned long *dst, const unsigned long *a,
		  const unsigned long *b, size_t nbits);
void hv_bitmap_andnot(unsigned long *dst, const unsigned long *a,
		      const unsigned long *b, size_t nbits);
bool hv_bitmap_intersects(const unsigned long *a, const unsigned long *b,
			  size_t nbits);
/* True if every bit set in a is set in b. */
bool hv_bitmap_subset(const unsigned long *a, const unsigned long *b,
		      size_t nbits);

/* The first set (or clear) bit at or after start, or nbits if none. */
size_t hv_bitmap_find_next_set(const unsigned long *map, size_t nbits,
			       size_t start);
size_t hv_bitmap_find_next_zero(const unsigned long *map, size_t nbits,
				size_t start);

/* The first set bit, or nbits if none. */
static inline size_t hv_bitmap_find_first_set(const unsigned long *map,
					      size_t nbits)
{
	return hv_bitmap_find_next_set(map, nbits, 0);
}

/* The first clear bit, or nbits if none. */
static inline size_t hv_bitmap_find_first_zero(const unsigned long *map,
					       size_t nbits)
{
	return hv_bitmap_find_next_zero(map, nbits, 0);
}

HV_END_DECLS

#endif /* HV_BITMAP_H */
