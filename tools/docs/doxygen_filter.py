#!/usr/bin/env python3
"""Doxygen's INPUT_FILTER for hvkit's public headers (make docs).

The headers document with plain C comments, as the kernel and Xen do;
this turns them into what Doxygen reads, line for line (so its warnings
name the right lines):
  - the file's first comment documents the file (/** @file ... */);
  - a comment on lines of its own documents what follows (/** ... */);
    when several declarations follow it with no blank line between, they
    share it (a member group, DISTRIBUTE_GROUP_DOC);
  - a comment after code on the same line documents that code (/**< */).
"""
import re
import sys

TRAILING = re.compile(r"^(\s*\S.*?)/\*(?![*!])(.*)$")
LEADING = re.compile(r"^(\s*)/\*(?![*!])(.*)$")


def comment_end(lines, i):
    """The index of the line where the comment starting on line i ends."""
    while "*/" not in lines[i]:
        i += 1
    return i


def declarations_after(lines, i):
    """Lines i.. up to a blank line, a comment of its own or the end of
    the enclosing braces: how many declarations end there (a ';' at the
    starting depth, or a #define), and the last line.  Comments inside
    (a struct's member comments) are skipped."""
    depth, count, last, in_comment = 0, 0, i, False
    while i < len(lines) and lines[i].strip():
        text = lines[i].lstrip()
        if depth == 0 and not in_comment and (
                text.startswith("/*") or
                text.startswith("HV_") and "DECLS" in text or
                text.startswith("#") and not text.startswith("#define")):
            break
        if text.startswith("#") and not in_comment:
            count += text.startswith("#define")
            while lines[i].endswith("\\"):  # the macro's other lines
                i += 1
        else:
            line, j = lines[i], 0
            while j < len(line):
                if in_comment:
                    if line.startswith("*/", j):
                        in_comment, j = False, j + 1
                elif line.startswith("/*", j):
                    in_comment, j = True, j + 1
                elif line[j] in "({":
                    depth += 1
                elif line[j] in ")}":
                    depth -= 1
                elif line[j] == ";" and depth == 0:
                    count += 1
                j += 1
            if depth < 0:  # the end of the struct the comment is in
                break
        last = i
        i += 1
    return count, last


def close_group(lines, before, after, last):
    """End a member group after line `last`: at its end, unless that is
    a macro's body, where the next line's start is the place."""
    start = last
    while start > 0 and lines[start - 1].endswith("\\"):
        start -= 1
    if not lines[start].lstrip().startswith("#"):
        after[last] += " /** @} */"
    elif last + 1 < len(lines):
        before[last + 1] += "/** @} */ "
    else:
        after[last] += "\n/** @} */"


def convert(text):
    lines = text.split("\n")
    out = list(lines)
    before = [""] * len(lines)  # markers around the converted lines
    after = [""] * len(lines)
    first = True
    i = 0
    while i < len(lines):
        line = lines[i]
        m = LEADING.match(line)
        if m and "*/" not in line[:m.end(1) + 2]:
            end = comment_end(lines, i)
            if first:
                out[i] = f"{m.group(1)}/** @file{m.group(2)}"
            else:
                n, last = declarations_after(lines, end + 1)
                if n > 1:
                    before[i] += "/** @{ */"
                    close_group(lines, before, after, last)
                out[i] = f"{m.group(1)}/**{m.group(2)}"
            first = False
            i = end + 1
            continue
        t = TRAILING.match(line)
        directive = line.lstrip().startswith("#") and \
            not line.lstrip().startswith("#define")
        if t and not directive:  # "#endif /* X_H */" documents nothing
            out[i] = f"{t.group(1)}/**<{t.group(2)}"
            if "*/" not in t.group(2):
                i = comment_end(lines, i)
        i += 1
    return "\n".join(b + o + a for b, o, a in zip(before, out, after))


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        sys.stdout.write(convert(f.read()))
