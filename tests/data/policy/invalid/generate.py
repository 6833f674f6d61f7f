#!/usr/bin/env python3
"""Regenerate the invalid SPIFs in this directory from ../small.xml.

TEST DATA ONLY (crossguard). Each case applies a few literal substitutions to the valid base
SPIF ../small.xml so that the result has exactly ONE defect, named by the file name and
described in README.md. Every substitution must match the base exactly once, so a change to
small.xml that breaks a case fails loudly here instead of silently producing a valid file.

Usage: python3 generate.py            (rewrites every <reason>.xml here)
"""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
BASE_PATH = os.path.join(HERE, "..", "small.xml")
ARC = "2.25.126012349812034871230498712304987123"

EQUIV_POLICIES = """  <spif:equivalentPolicies>
    <spif:equivalentPolicy name="XLAND" id="2.25.126012349812034871230498712304987124"/>
  </spif:equivalentPolicies>
"""

CLASSIFICATIONS_BODY = re.compile(
    r"(  <spif:securityClassifications>\n).*?(  </spif:securityClassifications>\n)", re.S)

# reason -> (one-line description, [(old, new), ...])
CASES = {
    "duplicate-hierarchy": (
        "HIGH has hierarchy 2, like MEDIUM (hierarchy values must be unique)",
        [('name="HIGH" lacv="3" hierarchy="3"', 'name="HIGH" lacv="3" hierarchy="2"')]),
    "duplicate-classification-name": (
        "two classifications named MEDIUM (lacv 2 and lacv 3)",
        [('name="HIGH" lacv="3"', 'name="MEDIUM" lacv="3"')]),
    "duplicate-classification-lacv": (
        "HIGH has lacv 2, like MEDIUM",
        [('name="HIGH" lacv="3"', 'name="HIGH" lacv="2"')]),
    "duplicate-tag-set-name": (
        "two tag sets named Release (the third set, id .103.3, is renamed)",
        [('securityCategoryTagSet name="Notes"', 'securityCategoryTagSet name="Release"')]),
    "duplicate-tag-set-id": (
        "the Notes tag set has the id of the Release tag set (.103.2)",
        [(f'name="Notes" id="{ARC}.103.3"', f'name="Notes" id="{ARC}.103.2"')]),
    "unresolved-excluded-class": (
        "excludedClass names LOWEST, which is not a classification",
        [("<spif:excludedClass>LOW</spif:excludedClass>",
          "<spif:excludedClass>LOWEST</spif:excludedClass>")]),
    "unresolved-required-class": (
        "requiredClass names LOWEST, which is not a classification",
        [('requiredClass="LOW"', 'requiredClass="LOWEST"')]),
    "unresolved-tag-set-ref": (
        "categoryGroup tagSetRef names Releases, which is not a tag set",
        [('tagSetRef="Release"', 'tagSetRef="Releases"')]),
    "unresolved-category-lacv": (
        "categoryGroup names lacv 7 in Release, which has only lacvs 1 and 999",
        [('tagSetRef="Release" tagType="enumerated" enumType="permissive" lacv="1"',
          'tagSetRef="Release" tagType="enumerated" enumType="permissive" lacv="7"')]),
    "unresolved-policy-ref": (
        "equivalentClassification policyRef YLAND is not declared in equivalentPolicies",
        [('policyRef="XLAND" lacv="20"', 'policyRef="YLAND" lacv="20"')]),
    "bad-oid": (
        'securityPolicyId id="1.2.x" is not an OID',
        [(f'<spif:securityPolicyId name="SMALL" id="{ARC}.103"/>',
          '<spif:securityPolicyId name="SMALL" id="1.2.x"/>')]),
    "bad-lacv": (
        'classification lacv="abc" (a classification lacv is xs:integer; category lacvs may be '
        "strings in 2.1, so the defect is put on a classification)",
        [('name="MEDIUM" lacv="2"', 'name="MEDIUM" lacv="abc"')]),
    "missing-required-attribute": (
        "securityClassification LOW has no hierarchy attribute",
        [('name="LOW" lacv="1" hierarchy="1"', 'name="LOW" lacv="1"')]),
    "wrong-root": (
        "the root element is spif:Policy, not spif:SPIF",
        [("<spif:SPIF ", "<spif:Policy "), ("</spif:SPIF>", "</spif:Policy>")]),
    "unknown-marking-code": (
        'markingData code "pageMiddle" is not one of the 16 marking codes',
        [('phrase="L"><spif:code>portionMarking', 'phrase="L"><spif:code>pageMiddle')]),
    "bad-tag-type": (
        'tagType="informative" (no such value in SPIF 2.1; informative is tagType7)',
        [('name="Notes" tagType="tagType7" tag7Encoding="bitSetAttributes"',
          'name="Notes" tagType="informative"')]),
    "enumerated-without-enumType": (
        'tagType="enumerated" without enumType',
        [('name="Release" tagType="enumerated" enumType="permissive">',
          'name="Release" tagType="enumerated">')]),
    "out-of-order-children": (
        "equivalentPolicies comes before securityClassifications (SPIF children are a strict sequence)",
        [(EQUIV_POLICIES, ""),
         ("  <spif:securityClassifications>\n",
          EQUIV_POLICIES + "  <spif:securityClassifications>\n")]),
    "category-group-both-lacv-and-all": (
        'a categoryGroup carries both lacv="1" and all="true"',
        [('enumType="permissive" lacv="1"/>', 'enumType="permissive" lacv="1" all="true"/>')]),
    "unknown-schema-version": (
        'schemaVersion="3.0" (2.1 allows 1.0, 2.0, 2.1)',
        [('schemaVersion="2.1"', 'schemaVersion="3.0"')]),
}


def apply(text, subs, reason):
    for old, new in subs:
        n = text.count(old)
        if n != 1:
            raise SystemExit(f"{reason}: substitution target occurs {n} times: {old!r}")
        text = text.replace(old, new)
    return text


def header(text, reason, description):
    comment = re.compile(r"<!--.*?-->", re.S)
    if len(comment.findall(text)) < 1:
        raise SystemExit("base has no header comment")
    new = (f"<!-- TEST DATA ONLY (crossguard). INVALID SPIF, reason: {reason}.\n"
           f"     {description}.\n"
           "     Generated from ../small.xml by generate.py; every other part is valid. -->")
    return comment.sub(lambda _m: new, text, count=1)


def main():
    with open(BASE_PATH, encoding="utf-8") as f:
        base = f.read()
    out = {}
    for reason, (description, subs) in CASES.items():
        out[reason] = header(apply(base, subs, reason), reason, description)

    # wrong-namespace: the same document with every element in no namespace.
    text = apply(base, [(' xmlns:spif="http://www.xmlspif.org/spif"', "")], "wrong-namespace")
    text = text.replace("<spif:", "<").replace("</spif:", "</")
    assert "spif:" not in text
    out["wrong-namespace"] = header(text, "wrong-namespace",
                                    "the SPIF elements are in no namespace (no http://www.xmlspif.org/spif)")

    # empty-classifications: no securityClassification at all; the two references to LOW
    # (excludedClass, requiredClass) and the equivalentClassification go with them, so that the
    # empty list is the only defect.
    text, n = CLASSIFICATIONS_BODY.subn(r"\1\2", base)
    assert n == 1
    text = apply(text, [("          <spif:excludedClass>LOW</spif:excludedClass>\n", ""),
                        (' requiredClass="LOW"', "")], "empty-classifications")
    out["empty-classifications"] = header(
        text, "empty-classifications",
        "securityClassifications has no securityClassification child (1..n required); the "
        "references to classifications were removed too so that this is the only defect")

    for reason, text in sorted(out.items()):
        with open(os.path.join(HERE, reason + ".xml"), "w", encoding="utf-8") as f:
            f.write(text)
    print(f"wrote {len(out)} invalid SPIFs")


if __name__ == "__main__":
    main()
