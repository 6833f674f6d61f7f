#!/usr/bin/env python3
"""Writes the JSON conformance corpus of crossguard (tests/data/json/{valid,invalid}).

TEST DATA ONLY. Every case is composed by hand for this project (nothing is copied from a
third-party suite). Invalid cases live in invalid/<error-code>/<case>.json: the directory
names the code (`JsonErrorKind::code()`) of the FIRST error in document order. The corpus
test reads them under the corpus limits stated in README.md. Re-run this script after
editing it: `python3 tests/data/json/generate.py` (it rewrites valid/ and invalid/).

Cases are bytes, written exactly: raw-bytes literals (rb"...") keep JSON escapes such as
\\u0041 as written, and plain bytes literals (b"...") spell out non-UTF-8 and control bytes.
No file gets a newline it does not show.
"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

# The corpus limits (README.md).
MAX_INPUT_BYTES = 65536
MAX_DEPTH = 16
MAX_STRING_BYTES = 1024
MAX_NUMBER_BYTES = 64
MAX_MEMBERS = 32
MAX_NAME_BYTES = 2048


def nested_arrays(depth, inner=b""):
    return b"[" * depth + inner + b"]" * depth


def nested_objects(depth, leaf=b"1"):
    """{"d1":{"d2":...leaf...}}, `depth` objects."""
    out = leaf
    for d in range(depth, 0, -1):
        out = b'{"d%d":' % d + out + b"}"
    return out


def members(n, name=lambda i: b"m%02d" % i):
    return b"{" + b",".join(b'"' + name(i) + b'":%d' % i for i in range(n)) + b"}"


def string_of(n, byte=b"x"):
    return b'"' + byte * n + b'"'


VALID = {
    # Every value type at the top level.
    "top-level-object": b'{"a":1}\n',
    "top-level-array": b"[1,2,3]\n",
    "top-level-string": b'"x"',
    "top-level-number": b"1",
    "top-level-true": b"true",
    "top-level-false": b"false",
    "top-level-null": b"null",
    "empty-object": b"{}",
    "empty-array": b"[]",
    "empty-string": b'""',
    "empty-containers-nested": b'{"o":{},"a":[],"aa":[[]],"ao":[{}]}',
    "every-value-type-in-array": b'[{}, [], "s", -1.5, true, false, null]\n',
    "every-value-type-in-object": b'{"o":{"k":"v"},"a":[1],"s":"s","n":0,"t":true,"f":false,"z":null}\n',
    # Depth: the outermost container is depth 1; 16 is the limit.
    "depth-16-arrays": nested_arrays(MAX_DEPTH),
    "depth-16-objects": nested_objects(MAX_DEPTH),
    "depth-16-mixed": b'{"a":' + b"[{\"b\":" * 7 + b"[" + b"1" + b"]" + b"}]" * 7 + b"}",
    "depth-16-arrays-with-values": b"[1," * MAX_DEPTH + b"2" + b"]" * MAX_DEPTH,
    # Escapes.
    "simple-escapes": rb'"\" \\ \/ \b \f \n \r \t"',
    "simple-escapes-in-name": rb'{"\"\\\/\b\f\n\r\t":1}',
    "unicode-escapes-bmp": rb'["\u0000", "\u001f", "\u0041\u00e9\u20AC", "\uFFFD", "\uFDCF\uFDF0"]',
    "unicode-escape-uppercase-and-lowercase-hex": rb'["\u00E9", "\u00e9", "\uABCD", "\uabcd"]',
    "surrogate-pair-escape": rb'"\uD83D\uDE00"',
    "surrogate-pair-escape-lowercase": rb'"\ud83d\ude00"',
    "surrogate-pair-escape-plane-16": rb'"\uDBFF\uDFFD"',
    "escaped-solidus-and-plain-solidus": rb'"a/b\/c"',
    # Raw UTF-8 of every length.
    "utf8-2-byte": '"\u00e9\u00df\u03a9\u05d0"'.encode("utf-8"),
    "utf8-3-byte": '"\u20ac\u65e5\u672c\ufffd\ufdcf\ufdf0"'.encode("utf-8"),
    "utf8-4-byte": '"\U0001F600\U00010000\U0010FFFD"'.encode("utf-8"),
    "utf8-mixed-in-names": '{"cl\u00e9":"\u65e5\u672c","\U0001F600":1}'.encode("utf-8"),
    "utf8-delete-and-c1-controls": '"\u007f\u0080\u009f"'.encode("utf-8"),
    # Numbers.
    "number-zero": b"0",
    "number-negative-zero": b"-0",
    "number-exponent-lowercase": b"1.5e10",
    "number-exponent-uppercase-negative": b"1E-5",
    "number-exponent-plus": b"[1e+5, 1E+0, 0e0, -0.0e-0]",
    "number-max-safe-integer": b"9007199254740991",
    "number-min-safe-integer": b"-9007199254740991",
    "number-max-double": b"1.7976931348623157e308",
    "number-min-subnormal": b"5e-324",
    "number-min-normal": b"2.2250738585072014e-308",
    "number-zero-with-huge-exponent": b"0.000e999",
    "number-17-significant-digits": b"[0.12345678901234567, 1234567890.1234567, -12345678901234567e-5, 3.1415926535897932]",
    "number-17-significant-digits-with-zeros": b"[0.000000012345678901234567, 1234567890123456.7e0, 12345678901234567000e-3]",
    "number-large-with-exponent": b"[1e20, 1E300, -2.5e100, 1e-300]",
    "number-64-bytes": b"[0." + b"0" * 61 + b"1]",
    "numbers-in-containers": b'{"a":[0,-0,1,-1,10,0.5,-0.5]}',
    # Whitespace between tokens.
    "whitespace-tabs": b'\t{\t"a"\t:\t[\t1\t,\t2\t]\t}\t',
    "whitespace-crlf": b'{\r\n  "a": 1,\r\n  "b": [\r\n    2\r\n  ]\r\n}\r\n',
    "whitespace-lone-cr": b'{\r"a":\r1\r,\r"b"\r:\r2\r}\r',
    "whitespace-lf": b'\n{\n"a"\n:\n[\n1\n,\nnull\n]\n}\n',
    "whitespace-all-kinds": b' \t\r\n[ \t\r\n1 \t\r\n, \t\r\n"x" \t\r\n] \t\r\n',
    # Member names.
    "names-differ-only-by-case": b'{"name":1,"Name":2,"NAME":3,"nAmE":4}',
    "names-look-alike-differ-after-unescaping": rb'{"\\u0061":1,"a":2,"a\/b":3,"a\\/b":4,"\\n":5,"\n":6}',
    "names-precomposed-and-decomposed": '{"caf\u00e9":1,"cafe\u0301":2}'.encode("utf-8"),
    "names-escaped-and-raw-non-ascii-distinct": '{"\\u00e9":1,"e":2,"\u00ea":3}'.encode("utf-8"),
    "same-name-in-sibling-objects": b'[{"a":1},{"a":2},{"a":{"a":3}}]',
    "same-name-in-nested-objects": b'{"a":{"a":{"a":1}}}',
    "empty-name": b'{"":1," ":2}',
    "object-32-members": members(MAX_MEMBERS),
    # Each held name counts its length plus 8 (NAME_OVERHEAD): 32 * (56 + 8) = 2048.
    "object-32-members-names-2048-bytes": members(MAX_MEMBERS, lambda i: b"%02d" % i + b"n" * 54),
    "array-many-elements": b"[" + b",".join(b"%d" % i for i in range(100)) + b"]",
    # Strings at the limit (1024 bytes as written, between the quotes).
    "string-1024-bytes": string_of(MAX_STRING_BYTES),
    "string-1024-bytes-with-escapes": b'"' + rb"\n" * 500 + rb"\u0041" * 4 + b'"',
    "string-1024-bytes-multibyte": b'"' + "\u20ac".encode("utf-8") * 341 + b"x" + b'"',
    "name-1024-bytes": b'{"' + b"n" * MAX_STRING_BYTES + b'":1}',
    # Member names of open objects: exactly 2048 bytes counted (length + 8 each), or more
    # across closed objects.
    "names-of-open-objects-2048-bytes": b'{"' + b"a" * 1016 + b'":{"' + b"b" * 1016 + b'":1}}',
    "names-of-closed-objects-do-not-add-up": b"["
    + b",".join(b'{"' + c * 1000 + b'":1}' for c in (b"a", b"b", b"c", b"d"))
    + b"]",
}

INVALID = {
    "invalid-utf8": {
        "bad-continuation": b'"\xc3\x28"',
        "lone-continuation-byte": b'"a\x80b"',
        "overlong-e0-80-80": b'"\xe0\x80\x80"',
        "overlong-c0-af": b'"\xc0\xaf"',
        "surrogate-encoded-ed-a0-80": b'"\xed\xa0\x80"',
        "lead-byte-f5": b'"\xf5\x80\x80\x80"',
        "above-u10ffff-f4-90": b'"\xf4\x90\x80\x80"',
        "byte-ff": b'"\xff"',
        "truncated-before-closing-quote": b'"\xe2\x82"',
        "truncated-4-byte-before-closing-quote": b'"\xf0\x9f\x98"',
        "in-member-name": b'{"\xc3":1}',
        "before-a-later-error": b'["\xe9", 01]',
    },
    "byte-order-mark": {
        "bom-then-object": b"\xef\xbb\xbf{}",
        "bom-then-array": b"\xef\xbb\xbf[1]",
        "bom-then-string": b'\xef\xbb\xbf"x"',
    },
    "unexpected-eof": {
        "empty-file": b"",
        "whitespace-only": b" \t\r\n",
        "open-array": b"[",
        "open-object": b"{",
        "array-after-comma": b"[1,",
        "array-after-value": b"[1",
        "object-after-colon": b'{"a":',
        "object-after-name": b'{"a"',
        "object-after-value": b'{"a":1',
        "unterminated-string": b'"abc',
        "unterminated-name": b'{"ab',
        "string-ends-in-escape": b'"ab\\',
        "string-ends-in-unicode-escape": b'"\\u00',
        "incomplete-literal-true": b"tru",
        "incomplete-literal-null-in-array": b"[nu",
    },
    "unexpected": {
        "trailing-comma-in-array": b"[1,]",
        "trailing-comma-in-object": b'{"a":1,}',
        "comma-only-in-object": b"{,}",
        "comma-only-in-array": b"[,]",
        "leading-comma-in-array": b"[,1]",
        "single-quoted-string": b"['a']",
        "single-quoted-name": b"{'a':1}",
        "block-comment": b"/* c */ 1",
        "line-comment-after-value": b"[1 // c\n]",
        "missing-comma-in-array": b"[1 2]",
        "missing-colon": b'{"a" 1}',
        "unquoted-name": b"{a:1}",
        "nan": b"NaN",
        "infinity": b"Infinity",
        "plus-sign": b"+1",
        "leading-dot": b".5",
        "leading-dot-in-array": b"[.5]",
        "capitalized-true": b"True",
        "mismatched-array-close": b"[1}",
        "mismatched-object-close": b'{"a":1]',
        "close-without-open": b"]",
        "colon-in-array": b"[1:2]",
        "number-as-name": b"{1:2}",
        "non-utf8-byte-outside-string": b"[\xff]",
        "bom-not-at-start": b" \xef\xbb\xbf{}",
        "nul-byte-between-tokens": b"[1,\x002]",
        "form-feed-as-whitespace": b"[1,\x0c2]",
        "no-break-space-as-whitespace": b"[1,\xc2\xa02]",
    },
    "trailing-content": {
        "two-objects": b"{} {}",
        "two-numbers": b"1 2",
        "array-then-letter": b"[] x",
        "string-then-string": b'"a""b"',
        "literal-then-value": b"true false",
        "close-after-complete-value": b"[1]]",
        "comma-after-value": b"{},",
    },
    "invalid-literal": {
        "true-with-space": b"tru e",
        "true-misspelt": b"trux",
        "null-with-digit": b"nul1",
        "false-with-digit": b"fals3",
        "falsy": b"falsy",
        "nil": b"nil",
        "true-capital-inside": b"tRue",
        "literal-in-array": b"[nulL]",
    },
    "control-in-string": {
        "raw-0x01": b'"a\x01b"',
        "raw-nul": b'"\x00"',
        "raw-tab": b'"a\tb"',
        "raw-lf": b'"a\nb"',
        "raw-cr": b'"a\rb"',
        "raw-0x1f-in-name": b'{"\x1f":1}',
    },
    "invalid-escape": {
        "backslash-x": rb'"\x41"',
        "backslash-u-two-digits": rb'"\u12"',
        "backslash-u-non-hex": rb'"\u12G4"',
        "backslash-capital-u": rb'"\U0041"',
        "backslash-space": rb'"\ "',
        "backslash-single-quote": rb'"\'"',
        "backslash-zero": rb'"\0"',
        "backslash-u-in-name": rb'{"\u00z0":1}',
    },
    "unpaired-surrogate": {
        "high-alone": rb'"\uD800"',
        "low-alone": rb'"\uDC00"',
        "high-then-non-surrogate-escape": rb'"\uD800\u0041"',
        "high-then-letter": rb'"\uD800x"',
        "high-then-other-escape": rb'"\uD800\n"',
        "high-then-high": rb'"\uDBFF\uDBFF"',
        "low-then-high": rb'"\uDC00\uD800"',
        "high-alone-in-name": rb'{"\uD83D":1}',
    },
    "noncharacter": {
        "escaped-fdd0": rb'"\uFDD0"',
        "escaped-fdef": rb'"\uFDEF"',
        "escaped-fffe": rb'"\uFFFE"',
        "escaped-ffff": rb'"\uffff"',
        "escaped-pair-1ffff": rb'"\uD83F\uDFFF"',
        "escaped-pair-10fffe": rb'"\uDBFF\uDFFE"',
        "raw-fdd0": b'"\xef\xb7\x90"',
        "raw-fffe": b'"\xef\xbf\xbe"',
        "raw-1ffff": b'"\xf0\x9f\xbf\xbf"',
        "raw-10ffff": b'"\xf4\x8f\xbf\xbf"',
        "in-member-name": rb'{"\uFDD0":1}',
    },
    "invalid-number": {
        "leading-zero": b"01",
        "lone-minus": b"-",
        "lone-minus-in-array": b"[-]",
        "trailing-dot": b"1.",
        "exponent-without-digits": b"1e",
        "exponent-sign-without-digits": b"1e+",
        "negative-leading-zero": b"-01",
        "dot-then-exponent": b"1.e5",
        "two-dots": b"2.3.4",
        "minus-inside": b"1-2",
        "double-minus": b"--1",
        "two-exponent-signs": b"1e+-5",
        "two-exponents": b"1e5e5",
        "minus-then-letter": b"-a",
        "leading-zero-in-object": b'{"n":00}',
    },
    "number-out-of-range": {
        "overflow": b"1e400",
        "negative-overflow": b"-1e400",
        "underflow": b"1e-400",
        "underflow-below-half-min-subnormal": b"1e-324",
        "just-above-max-double": b"1.7976931348623159e308",
        "huge-exponent": b"[1e99999999999]",
    },
    "integer-out-of-range": {
        "two-to-the-53": b"9007199254740992",
        "minus-two-to-the-53": b"-9007199254740992",
        "one-followed-by-20-zeros": b"100000000000000000000",
        "in-object": b'{"id":18014398509481984}',
    },
    "number-too-precise": {
        "pi-19-digits": b"3.141592653589793238",
        "fraction-18-digits": b"0.123456789012345678",
        "exponent-18-digits": b"[1.23456789012345678e5]",
    },
    "duplicate-name": {
        "same-name": b'{"a":1,"a":2}',
        "escaped-and-raw": rb'{"a":1,"\u0061":2}',
        "two-escapes-of-solidus": rb'{"/":1,"\/":2}',
        "escaped-non-ascii-and-raw": '{"\u00e9":1,"\\u00e9":2}'.encode("utf-8"),
        "escaped-pair-and-raw-4-byte": '{"\U0001F600":1,"\\uD83D\\uDE00":2}'.encode("utf-8"),
        "in-nested-object": b'{"a":{"b":1,"c":2,"b":3}}',
        "in-object-in-array": b'[{"x":1},{"x":1,"y":2,"x":3}]',
        "empty-name": b'{"":1,"":2}',
        "not-adjacent": b'{"a":1,"b":2,"c":3,"a":4}',
        "after-24-members": b"{"
        + b",".join(b'"k%02d":%d' % (i, i) for i in range(30))
        + b',"k07":0}',
    },
    "input-too-large": {
        # Filled in below (input_too_large, just_over_limit): valid documents, too large.
    },
    "depth-limit-exceeded": {
        "arrays-17": nested_arrays(MAX_DEPTH + 1),
        "objects-17": nested_objects(MAX_DEPTH + 1),
        "mixed-17": b"[" + b'{"a":[' * 8 + b"1" + b"]}" * 8 + b"]",
        "unclosed-arrays-17": b"[" * (MAX_DEPTH + 1),
    },
    "string-too-long": {
        "value-1025-bytes": string_of(MAX_STRING_BYTES + 1),
        "name-1025-bytes": b'{"' + b"n" * (MAX_STRING_BYTES + 1) + b'":1}',
        "escaped-1025-bytes-as-written": b'"' + rb"\n" * 512 + b"x" + b'"',
        "multibyte-1025-bytes": b'"' + "\u20ac".encode("utf-8") * 341 + b"xy" + b'"',
    },
    "number-too-long": {
        "integer-with-fraction-65-bytes": b"1" + b"0" * 60 + b".0e0",
        "fraction-65-bytes": b"0." + b"0" * 62 + b"1",
        "in-array-65-bytes": b"[-0." + b"0" * 61 + b"1]",
        "malformed-run-65-bytes": b"[" + b"1-" * 32 + b"1]",
    },
    "too-many-members": {
        "object-33-members": members(MAX_MEMBERS + 1),
        "nested-object-33-members": b'{"o":' + members(MAX_MEMBERS + 1) + b"}",
    },
    "names-too-large": {
        "nested-names-2100-bytes": b'{"'
        + b"a" * 1000
        + b'":{"'
        + b"b" * 1000
        + b'":{"'
        + b"c" * 100
        + b'":1}}}',
        "one-object-three-700-byte-names": b"{"
        + b",".join(b'"' + c * 700 + b'":1' for c in (b"a", b"b", b"c"))
        + b"}",
        "nested-2049-bytes": b'{"' + b"a" * 1016 + b'":{"' + b"b" * 1017 + b'":1}}',
    },
}

def input_too_large():
    """A valid array of numbers, padded with spaces to 70 000 bytes (> 65 536)."""
    body = b"[" + b",".join(b"%d" % i for i in range(1000)) + b"]"
    return body + b" " * (70000 - len(body))



def just_over_limit():
    """65 537 bytes (one over the limit): a valid array of 64 strings, padded with LFs."""
    item = string_of(1020)
    body = b"[" + b",".join([item] * 64) + b"]"
    return body + b"\n" * (MAX_INPUT_BYTES + 1 - len(body))


INVALID["input-too-large"]["array-padded-to-70000-bytes"] = input_too_large()
INVALID["input-too-large"]["strings-padded-to-65537-bytes"] = just_over_limit()


def write(path, content):
    with open(path, "wb") as f:
        f.write(content)


def main():
    for sub in ("valid", "invalid"):
        shutil.rmtree(os.path.join(HERE, sub), ignore_errors=True)
    os.makedirs(os.path.join(HERE, "valid"))
    for name, content in VALID.items():
        write(os.path.join(HERE, "valid", name + ".json"), content)
    for code, cases in INVALID.items():
        d = os.path.join(HERE, "invalid", code)
        os.makedirs(d)
        for name, content in cases.items():
            write(os.path.join(d, name + ".json"), content)


if __name__ == "__main__":
    main()
