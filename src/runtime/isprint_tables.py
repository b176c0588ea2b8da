#!/usr/bin/env python3
"""Regenerate the Unicode table constants of quote.toy from Go's strconv/isprint.go.

Usage:
    isprint_tables.py ISPRINT_GO            print the constant block
    isprint_tables.py ISPRINT_GO QUOTE_TOY  replace the block in QUOTE_TOY in place

Each []uint16 entry becomes 2 bytes and each []uint32 entry 4 bytes, big-endian, in a
constant string; the block starts at the MARKER line and runs to the end of the file.
"""
import re
import sys

MARKER = "// The tables below are generated from strconv's isprint.go"

# Go table name -> (Toy constant name, what it holds)
TABLES = [
    ("isPrint16", "qIsPrint16", "pairs [lo, hi] of printable ranges below U+10000"),
    ("isNotPrint16", "qIsNotPrint16", "exceptions inside those ranges, below U+10000"),
    ("isPrint32", "qIsPrint32", "pairs [lo, hi] of printable ranges from U+10000"),
    ("isNotPrint32", "qIsNotPrint32", "exceptions inside those ranges, minus 0x10000"),
    ("isGraphic", "qIsGraphic", "graphic code points that are not printable"),
]


def parse(src):
    src = re.sub(r"//[^\n]*", "", src)  # comments hold numbers too ("add 0x10000")
    tables = {}
    for name, bits, body in re.findall(r"var (\w+) = \[\]uint(16|32)\{(.*?)\}", src, re.S):
        tables[name] = (int(bits) // 8, [int(v, 16) for v in re.findall(r"0x[0-9a-fA-F]+", body)])
    return tables


def render(tables):
    out = [MARKER + " by isprint_tables.py (regenerate them, do not edit):",
           "// each entry is big-endian, 2 bytes for a 16-bit table and 4 for a 32-bit one."]
    per_line = {2: 8, 4: 4}
    for goname, name, what in TABLES:
        size, vals = tables[goname]
        out.append("")
        out.append("// %s is strconv's %s (%d entries of %d bytes): %s." % (name, goname, len(vals), size, what))
        chunks = []
        for i in range(0, len(vals), per_line[size]):
            chunk = vals[i:i + per_line[size]]
            chunks.append('"' + "".join("".join("\\x%02x" % b for b in v.to_bytes(size, "big")) for v in chunk) + '"')
        out.append("const %s = %s" % (name, " +\n\t".join(chunks)))
    return "\n".join(out) + "\n"


def main():
    block = render(parse(open(sys.argv[1]).read()))
    if len(sys.argv) < 3:
        sys.stdout.write(block)
        return
    path = sys.argv[2]
    text = open(path).read()
    at = text.index(MARKER)
    open(path, "w").write(text[:at] + block)


if __name__ == "__main__":
    main()
