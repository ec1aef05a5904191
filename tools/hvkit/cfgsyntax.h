/*
 * cfgsyntax.h - the syntax of xl.cfg-style files, without meaning.
 *
 * A file is a sequence of settings `key = value`, one per line or
 * separated by `;`.  A value is an atom or a list of atoms:
 *   "double" or 'single' quoted strings, with the escapes \\ \" \' \n \t
 *   \r \a \b \f \v \xHH;
 *   numbers: unquoted words starting with a digit or a sign (their
 *   meaning is the key's business: "0x10", "12", "-1" are all numbers
 *   here);
 *   [ atom, atom, ... ] lists, which may span lines and end with a comma.
 * An unquoted word where a value belongs is passed on as such, so that
 * `memory = lots` can be answered as a bad integer, `name = g` as a
 * string without quotes.
 * `#` starts a comment that runs to the end of the line.
 */
#ifndef HVKIT_CFGSYNTAX_H
#define HVKIT_CFGSYNTAX_H

#include <stddef.h>

#include "util.h"

enum hvkit_cfg_kind {
	HVKIT_CFG_STRING, /* a quoted string, escapes resolved */
	HVKIT_CFG_NUMBER, /* an unquoted number, as written */
	HVKIT_CFG_WORD,	  /* an unquoted word such as lots: never valid, but
			     the key knows the better message */
	HVKIT_CFG_LIST, /* a list (its items are not kept: no key needs them) */
};

struct hvkit_cfg_value {
	enum hvkit_cfg_kind kind;
	const char *text; /* the atom's text; NULL for a list */
};

/*
 * Called once per setting, in file order.  On a bad value it fills @err
 * with "KEY: what is wrong" and returns -1; the parser then prefixes
 * "PATH:LINE: " and stops.
 */
typedef int (*hvkit_cfg_setting_fn)(void *ctx, const char *key, unsigned line,
				    const struct hvkit_cfg_value *value,
				    struct hvkit_err *err);

/*
 * Parses @len bytes of @text.  Errors (syntax or from @fn) come back as
 * "PATH:LINE: ...".
 */
int hvkit_cfg_parse_syntax(const char *path, const char *text, size_t len,
			   hvkit_cfg_setting_fn fn, void *ctx,
			   struct hvkit_err *err);

/*
 * Writes @s into @buf (of @size >= 8 bytes) double-quoted for a message,
 * with non-printable bytes as \xHH and long strings cut short with "...",
 * so a message stays on one line.  Returns @buf.
 */
char *hvkit_cfg_quote(char *buf, size_t size, const char *s);

#endif /* HVKIT_CFGSYNTAX_H */
