/*
 * cfgsyntax.c - lexer and parser for xl.cfg-style files (see cfgsyntax.h).
 */
#include "cfgsyntax.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok {
	TOK_EOF,
	TOK_NEWLINE,
	TOK_SEMI,
	TOK_EQUALS,
	TOK_LBRACKET,
	TOK_RBRACKET,
	TOK_COMMA,
	TOK_IDENT,
	TOK_STRING,
	TOK_NUMBER,
};

struct lexer {
	const char *path;
	const char *p, *end;
	unsigned line; /* of the next unread byte, from 1 */
	struct hvkit_err *err;

	enum tok tok;	   /* the current token */
	unsigned tok_line; /* the line it starts on */
	char *text;	   /* IDENT/STRING/NUMBER text, NUL-terminated */
	size_t len, cap;
};

static int lex_error(struct lexer *lx, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int lex_error(struct lexer *lx, unsigned line, const char *fmt, ...)
{
	char msg[sizeof(lx->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hvkit_errf(lx->err, "%s:%u: %s", lx->path, line, msg);
}

static void text_push(struct lexer *lx, char c)
{
	if (lx->len + 1 >= lx->cap) {
		lx->cap *= 2;
		lx->text = hvkit_xrealloc(lx->text, lx->cap);
	}
	lx->text[lx->len++] = c;
	lx->text[lx->len] = '\0';
}

static void text_reset(struct lexer *lx)
{
	lx->len = 0;
	lx->text[0] = '\0';
}

static bool is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static bool is_word_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '+' || c == '-';
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The byte an escape \c stands for, or -1 if it is not one we know. */
static int simple_escape(int c)
{
	static const char from[] = "\\\"'ntrabfv";
	static const char to[] = "\\\"'\n\t\r\a\b\f\v";
	const char *hit = c ? strchr(from, c) : NULL;

	return hit ? to[hit - from] : -1;
}

/* Reads \xHH after the backslash and the x; -1 on a malformed one. */
static int hex_escape(struct lexer *lx)
{
	int hi, lo;

	if (lx->end - lx->p < 2)
		return -1;
	hi = hex_digit((unsigned char)lx->p[0]);
	lo = hex_digit((unsigned char)lx->p[1]);
	if (hi < 0 || lo < 0)
		return -1;
	lx->p += 2;
	return hi << 4 | lo;
}

static int lex_escape(struct lexer *lx)
{
	int c, byte;

	if (lx->p == lx->end || *lx->p == '\n')
		return lex_error(lx, lx->line, "unterminated string");
	c = (unsigned char)*lx->p++;
	byte = c == 'x' ? hex_escape(lx) : simple_escape(c);
	if (byte < 0)
		return lex_error(lx, lx->line,
				 "unknown escape \\%c in string (known: \\\\ "
				 "\\\" \\' \\n \\t \\r \\a \\b \\f \\v \\xHH)",
				 isprint(c) ? c : '?');
	if (byte == 0)
		return lex_error(lx, lx->line, "NUL byte in string");
	text_push(lx, (char)byte);
	return 0;
}

static int lex_string(struct lexer *lx)
{
	char quote = *lx->p++;

	lx->tok = TOK_STRING;
	for (;;) {
		char c;

		if (lx->p == lx->end || *lx->p == '\n')
			return lex_error(lx, lx->line, "unterminated string");
		c = *lx->p++;
		if (c == quote)
			return 0;
		if (c == '\0')
			return lex_error(lx, lx->line, "NUL byte in string");
		if (c != '\\')
			text_push(lx, c);
		else if (lex_escape(lx) < 0)
			return -1;
	}
}

static void lex_word(struct lexer *lx, enum tok tok)
{
	lx->tok = tok;
	while (lx->p < lx->end && is_word_char((unsigned char)*lx->p))
		text_push(lx, *lx->p++);
}

static void skip_blanks_and_comment(struct lexer *lx)
{
	while (lx->p < lx->end &&
	       (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r'))
		lx->p++;
	if (lx->p < lx->end && *lx->p == '#')
		while (lx->p < lx->end && *lx->p != '\n')
			lx->p++;
}

static int lex_punct(struct lexer *lx, char c)
{
	static const char chars[] = "\n;=[],";
	static const enum tok toks[] = {TOK_NEWLINE,  TOK_SEMI,	    TOK_EQUALS,
					TOK_LBRACKET, TOK_RBRACKET, TOK_COMMA};
	const char *hit = c ? strchr(chars, c) : NULL;

	if (!hit) {
		if (isprint((unsigned char)c))
			return lex_error(lx, lx->line,
					 "unexpected character '%c'", c);
		return lex_error(lx, lx->line, "unexpected byte \\x%02x",
				 (unsigned char)c);
	}
	lx->p++;
	lx->tok = toks[hit - chars];
	if (c == '\n')
		lx->line++;
	return 0;
}

/* Reads the next token into lx->tok (and lx->text). */
static int lex_next(struct lexer *lx)
{
	int c;

	skip_blanks_and_comment(lx);
	text_reset(lx);
	lx->tok_line = lx->line;
	if (lx->p == lx->end) {
		lx->tok = TOK_EOF;
		return 0;
	}
	c = (unsigned char)*lx->p;
	if (c == '"' || c == '\'')
		return lex_string(lx);
	if (is_ident_start(c)) {
		lex_word(lx, TOK_IDENT);
		return 0;
	}
	if (isdigit(c) || c == '-' || c == '+') {
		lex_word(lx, TOK_NUMBER);
		return 0;
	}
	return lex_punct(lx, (char)c);
}

char *hvkit_cfg_quote(char *buf, size_t size, const char *s)
{
	size_t n = 0;

	buf[n++] = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (n + 8 >= size) { /* room for \xHH, "...", quote, NUL */
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
		if (isprint(c) && c != '"' && c != '\\')
			buf[n++] = (char)c;
		else
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

/* The current token, for "got ..." in messages. */
static const char *tok_describe(struct lexer *lx, char *buf, size_t size)
{
	static const char *const names[] = {
	    [TOK_EOF] = "end of file", [TOK_NEWLINE] = "end of line",
	    [TOK_SEMI] = "';'",	       [TOK_EQUALS] = "'='",
	    [TOK_LBRACKET] = "'['",    [TOK_RBRACKET] = "']'",
	    [TOK_COMMA] = "','",
	};

	if (lx->tok == TOK_IDENT || lx->tok == TOK_NUMBER) {
		snprintf(buf, size, "%.60s", lx->text);
		return buf;
	}
	if (lx->tok == TOK_STRING)
		return hvkit_cfg_quote(buf, size, lx->text);
	return names[lx->tok];
}

static bool at_end_of_setting(const struct lexer *lx)
{
	return lx->tok == TOK_NEWLINE || lx->tok == TOK_SEMI ||
	       lx->tok == TOK_EOF;
}

static int skip_newlines(struct lexer *lx)
{
	while (lx->tok == TOK_NEWLINE)
		if (lex_next(lx) < 0)
			return -1;
	return 0;
}

/* An atom inside a list: checked for syntax, then dropped. */
static int parse_list_item(struct lexer *lx, const char *key)
{
	char got[80];

	if (lx->tok == TOK_STRING || lx->tok == TOK_NUMBER)
		return lex_next(lx);
	if (lx->tok == TOK_LBRACKET)
		return lex_error(lx, lx->tok_line, "%s: lists cannot be nested",
				 key);
	return lex_error(lx, lx->tok_line,
			 "%s: expected a list item (a \"string\" or a number), "
			 "got %s",
			 key, tok_describe(lx, got, sizeof(got)));
}

/* After '[': items separated by commas, newlines anywhere, then ']'. */
static int parse_list(struct lexer *lx, const char *key)
{
	unsigned open_line = lx->tok_line;
	char got[80];

	if (lex_next(lx) < 0 || skip_newlines(lx) < 0)
		return -1;
	while (lx->tok != TOK_RBRACKET) {
		if (lx->tok == TOK_EOF)
			return lex_error(lx, open_line,
					 "%s: list has no closing ']'", key);
		if (parse_list_item(lx, key) < 0 || skip_newlines(lx) < 0)
			return -1;
		if (lx->tok == TOK_COMMA) {
			if (lex_next(lx) < 0 || skip_newlines(lx) < 0)
				return -1;
		} else if (lx->tok != TOK_RBRACKET && lx->tok != TOK_EOF) {
			return lex_error(lx, lx->tok_line,
					 "%s: expected ',' or ']' in list, got "
					 "%s",
					 key,
					 tok_describe(lx, got, sizeof(got)));
		}
	}
	return lex_next(lx);
}

static enum hvkit_cfg_kind atom_kind(enum tok tok)
{
	if (tok == TOK_STRING)
		return HVKIT_CFG_STRING;
	return tok == TOK_NUMBER ? HVKIT_CFG_NUMBER : HVKIT_CFG_WORD;
}

/*
 * The value after `key =`.  An atom's text is copied to *@owned (the lexer
 * reuses its buffer); the caller frees it.
 */
static int parse_value(struct lexer *lx, const char *key,
		       struct hvkit_cfg_value *v, char **owned)
{
	char got[80];

	*owned = NULL;
	if (lx->tok == TOK_LBRACKET) {
		v->kind = HVKIT_CFG_LIST;
		v->text = NULL;
		return parse_list(lx, key);
	}
	if (lx->tok == TOK_STRING || lx->tok == TOK_NUMBER ||
	    lx->tok == TOK_IDENT) {
		v->kind = atom_kind(lx->tok);
		*owned = hvkit_xstrdup(lx->text);
		v->text = *owned;
		return lex_next(lx);
	}
	return lex_error(lx, lx->tok_line,
			 "%s: expected a value (a \"string\", a number or a "
			 "[list]) after '=', got %s",
			 key, tok_describe(lx, got, sizeof(got)));
}

/* One `key = value`; the current token is the key. */
static int parse_setting(struct lexer *lx, hvkit_cfg_setting_fn fn, void *ctx)
{
	struct hvkit_cfg_value value;
	unsigned line = lx->tok_line;
	char got[80];
	char *key, *owned = NULL;
	int ret = -1;

	if (lx->tok != TOK_IDENT)
		return lex_error(lx, line,
				 "expected a setting (key = value), got %s",
				 tok_describe(lx, got, sizeof(got)));
	key = hvkit_xstrdup(lx->text);
	if (lex_next(lx) < 0)
		goto out;
	if (lx->tok != TOK_EQUALS) {
		lex_error(lx, lx->tok_line,
			  "%s: expected '=' after the key, got %s", key,
			  tok_describe(lx, got, sizeof(got)));
		goto out;
	}
	if (lex_next(lx) < 0 || parse_value(lx, key, &value, &owned) < 0)
		goto out;
	if (!at_end_of_setting(lx)) {
		lex_error(lx, lx->tok_line,
			  "%s: unexpected %s after the value (one setting per "
			  "line, or separate them with ';')",
			  key, tok_describe(lx, got, sizeof(got)));
		goto out;
	}
	if (fn(ctx, key, line, &value, lx->err) < 0) {
		hvkit_err_prefix(lx->err, "%s:%u: ", lx->path, line);
		goto out;
	}
	ret = 0;
out:
	free(owned);
	free(key);
	return ret;
}

int hvkit_cfg_parse_syntax(const char *path, const char *text, size_t len,
			   hvkit_cfg_setting_fn fn, void *ctx,
			   struct hvkit_err *err)
{
	struct lexer lx = {
	    .path = path,
	    .p = text,
	    .end = text + len,
	    .line = 1,
	    .err = err,
	    .text = hvkit_xmalloc(64), /* never NULL: "" is a value */
	    .cap = 64,
	};
	int ret = lex_next(&lx);

	while (ret == 0 && lx.tok != TOK_EOF) {
		if (lx.tok == TOK_NEWLINE || lx.tok == TOK_SEMI)
			ret = lex_next(&lx);
		else
			ret = parse_setting(&lx, fn, ctx);
	}
	free(lx.text);
	return ret;
}
