/*
 * Bitmaps: atomic single-bit operations and whole-map operations, a word at
 * a time.
 *
 * Invariant of every function taking nbits: bits at or beyond nbits are
 * neither read (their value never changes a result) nor written (a store to
 * the last word merges in its bits beyond nbits unchanged).
 */
#include <hv/bitmap.h>

/* Words holding nbits bits; unlike HV_BITMAP_WORDS it cannot overflow. */
static size_t nwords(size_t nbits)
{
	return nbits / HV_BITS_PER_LONG + (nbits % HV_BITS_PER_LONG != 0);
}

/* The bits of word i that lie below nbits; i < nwords(nbits). */
static unsigned long word_mask(size_t i, size_t nbits)
{
	size_t left = nbits - i * HV_BITS_PER_LONG;

	return left >= HV_BITS_PER_LONG ? ~0UL : (1UL << left) - 1;
}

/* Store the bits of v selected by mask into *w, keeping the others. */
static void store_masked(unsigned long *w, unsigned long v, unsigned long mask)
{
	*w = (*w & ~mask) | (v & mask);
}

/*
 * The atomic operations order like Xen's and Linux's test_and_set_bit on
 * guest-shared memory: read-modify-writes are full barriers, so a bit set
 * after writing a payload (an event-channel pending bit) publishes it.
 */
bool hv_bitmap_test_atomic(const unsigned long *map, size_t bit)
{
	unsigned long w =
	    __atomic_load_n(&map[hv_bit_word(bit)], __ATOMIC_ACQUIRE);

	return (w & hv_bit_mask(bit)) != 0;
}

void hv_bitmap_set_atomic(unsigned long *map, size_t bit)
{
	__atomic_fetch_or(&map[hv_bit_word(bit)], hv_bit_mask(bit),
			  __ATOMIC_SEQ_CST);
}

void hv_bitmap_clear_atomic(unsigned long *map, size_t bit)
{
	__atomic_fetch_and(&map[hv_bit_word(bit)], ~hv_bit_mask(bit),
			   __ATOMIC_SEQ_CST);
}

bool hv_bitmap_test_and_set_atomic(unsigned long *map, size_t bit)
{
	unsigned long old = __atomic_fetch_or(
	    &map[hv_bit_word(bit)], hv_bit_mask(bit), __ATOMIC_SEQ_CST);

	return (old & hv_bit_mask(bit)) != 0;
}

bool hv_bitmap_test_and_clear_atomic(unsigned long *map, size_t bit)
{
	unsigned long old = __atomic_fetch_and(
	    &map[hv_bit_word(bit)], ~hv_bit_mask(bit), __ATOMIC_SEQ_CST);

	return (old & hv_bit_mask(bit)) != 0;
}

void hv_bitmap_zero(unsigned long *map, size_t nbits)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		store_masked(&map[i], 0, word_mask(i, nbits));
}

void hv_bitmap_fill(unsigned long *map, size_t nbits)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		store_masked(&map[i], ~0UL, word_mask(i, nbits));
}

void hv_bitmap_copy(unsigned long *dst, const unsigned long *src, size_t nbits)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		store_masked(&dst[i], src[i], word_mask(i, nbits));
}

bool hv_bitmap_empty(const unsigned long *map, size_t nbits)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		if (map[i] & word_mask(i, nbits))
			return false;
	return true;
}

bool hv_bitmap_full(const unsigned long *map, size_t nbits)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		if (~map[i] & word_mask(i, nbits))
			return false;
	return true;
}

bool hv_bitmap_equal(const unsigned long *a, const unsigned long *b,
		     size_t nbits)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		if ((a[i] ^ b[i]) & word_mask(i, nbits))
			return false;
	return true;
}

size_t hv_bitmap_weight(const unsigned long *map, size_t nbits)
{
	size_t n = 0;

	for (size_t i = 0; i < nwords(nbits); i++)
		n += (size_t)__builtin_popcountl(map[i] & word_mask(i, nbits));
	return n;
}

/* Each word of a and b is read before the same word of dst is written, so
 * dst may be a or b. */
void hv_bitmap_and(unsigned long *dst, const unsigned long *a,
		   const unsigned long *b, size_t nbits)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		store_masked(&dst[i], a[i] & b[i], word_mask(i, nbits));
}

void hv_bitmap_or(unsigned long *dst, const unsigned long *a,
		  const unsigned long *b, size_t nbits)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		store_masked(&dst[i], a[i] | b[i], word_mask(i, nbits));
}

void hv_bitmap_andnot(unsigned long *dst, const unsigned long *a,
		      const unsigned long *b, size_t nbits)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		store_masked(&dst[i], a[i] & ~b[i], word_mask(i, nbits));
}

bool hv_bitmap_intersects(const unsigned long *a, const unsigned long *b,
			  size_t nbits)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		if (a[i] & b[i] & word_mask(i, nbits))
			return true;
	return false;
}

bool hv_bitmap_subset(const unsigned long *a, const unsigned long *b,
		      size_t nbits)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		if (a[i] & ~b[i] & word_mask(i, nbits))
			return false;
	return true;
}

/*
 * The first bit at or after start whose value, XORed with every bit of
 * invert (0 to look for a set bit, ~0UL for a clear one), is 1; nbits if
 * there is none.  Masking each word with word_mask keeps the answer below
 * nbits.
 */
static size_t find_next(const unsigned long *map, size_t nbits, size_t start,
			unsigned long invert)
{
	size_t i = hv_bit_word(start);
	unsigned long w;

	if (start >= nbits)
		return nbits;
	w = (map[i] ^ invert) & (~0UL << (start % HV_BITS_PER_LONG));
	for (;;) {
		w &= word_mask(i, nbits);
		if (w)
			return i * HV_BITS_PER_LONG + (size_t)__builtin_ctzl(w);
		if (++i == nwords(nbits))
			return nbits;
		w = map[i] ^ invert;
	}
}

size_t hv_bitmap_find_next_set(const unsigned long *map, size_t nbits,
			       size_t start)
{
	return find_next(map, nbits, start, 0);
}

size_t hv_bitmap_find_next_zero(const unsigned long *map, size_t nbits,
				size_t start)
{
	return find_next(map, nbits, start, ~0UL);
}
