#!/usr/bin/env python3
"""Structural check of every SPIF under tests/data/policy against Open XML SPIF 2.1.

TEST DATA TOOL (crossguard). Checks, for every element of the SPIF vocabulary (standards.md
§3.2): the child ORDER (the 2.1 schema uses strict sequences), child cardinality, required
attributes, the enumerated attribute values (schemaVersion, tagType, enumType, tag7Encoding,
marking codes, qualifierCode, operation, applied, action), OID syntax of ids, integer syntax of
classification lacv/hierarchy, the enumerated ⇒ enumType rule and the lacv-xor-all rule of
categoryGroup/excludedCategory. Content of `extensions` is not checked (lax).

It does NOT check the semantic rules (unique names/lacvs/ids, resolvable references): those
are for the crossguard loader, and the invalid/ files for them must pass here.

Every *.xml directly in this directory must pass. In invalid/, the files listed in
EXPECTED_FAILURES must fail with a message containing the given text; all others must pass.
Exit status 0 when every expectation holds.

Usage: python3 check_order.py [-v]
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

NS = "http://www.xmlspif.org/spif"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HERE = os.path.dirname(os.path.abspath(__file__))

MD, MQ = ("markingData", 0, None), ("markingQualifier", 0, None)
RC = ("requiredCategory", 0, None)
# element -> sequence of (child, min, max); max None = unbounded. None = not checked (lax).
GRAMMAR = {
    "SPIF": [("defaultSecurityPolicyId", 0, 1), ("securityPolicyId", 1, 1), ("updateInfo", 0, 1),
             ("securityClassifications", 1, 1), ("securityCategoryTagSets", 0, 1),
             ("privacyMarks", 0, 1), ("equivalentPolicies", 0, 1), MD, MQ, ("extensions", 0, 1)],
    "defaultSecurityPolicyId": [MD, MQ],
    "securityPolicyId": [],
    "updateInfo": [],
    "securityClassifications": [("securityClassification", 1, None), MD, MQ],
    "securityClassification": [("equivalentClassification", 0, None), MD, MQ, RC],
    "equivalentClassification": [RC],
    "markingData": [("code", 1, None)],
    "markingQualifier": [("qualifier", 1, None)],
    "qualifier": [],
    "code": [],
    "requiredCategory": [("categoryGroup", 1, None)],
    "categoryGroup": [],
    "securityCategoryTagSets": [("securityCategoryTagSet", 1, None)],
    "securityCategoryTagSet": [("securityCategoryTag", 1, None),
                               ("equivalentSecurityCategoryTagSet", 0, None)],
    "securityCategoryTag": [("tagCategory", 0, None), MQ],
    "tagCategory": [("equivalentSecCategoryTag", 0, None), MD, MQ, ("excludedClass", 0, None),
                    RC, ("excludedCategory", 0, None)],
    "equivalentSecCategoryTag": [],
    "excludedClass": [],
    "excludedCategory": [],
    "equivalentSecurityCategoryTagSet": [RC],
    "privacyMarks": [("privacyMark", 1, None), MD, MQ],
    "privacyMark": [MD, MQ],
    "equivalentPolicies": [("equivalentPolicy", 1, None)],
    "equivalentPolicy": [RC],
    "extensions": None,
}
TEXT_ELEMENTS = {"code", "excludedClass"}

REQUIRED_ATTRS = {
    "SPIF": ["schemaVersion", "creationDate", "originatorDN", "keyIdentifier", "privilegeId", "rbacId"],
    "securityPolicyId": ["name", "id"],
    "defaultSecurityPolicyId": ["name", "id"],
    "securityClassification": ["name", "lacv", "hierarchy"],
    "securityCategoryTagSet": ["name", "id"],
    "securityCategoryTag": ["tagType"],
    "tagCategory": ["name", "lacv"],
    "equivalentPolicy": ["name", "id"],
    "equivalentClassification": ["policyRef", "lacv"],
    "equivalentSecCategoryTag": ["policyRef"],
    "privacyMark": ["name"],
    "qualifier": ["markingQualifier", "qualifierCode"],
    "requiredCategory": ["operation"],
    "categoryGroup": ["tagSetRef", "tagType"],
    "excludedCategory": ["tagSetRef", "tagType"],
}

MARKING_CODES = {"pageTop", "pageBottom", "pageTopBottom", "documentStart", "documentEnd",
                 "noNameDisplay", "noMarkingDisplay", "suppressClassName", "firstLineOfText",
                 "lastLineOfText", "subject", "xHeader", "portionMarking", "inputTitle",
                 "waterMark", "replacePolicy"}
TAG_TYPES = {"restrictive", "enumerated", "permissive", "tagType7", "notApplicable"}
ENUMS = {
    ("SPIF", "schemaVersion"): {"1.0", "2.0", "2.1"},
    ("securityCategoryTag", "tagType"): TAG_TYPES,
    ("securityCategoryTag", "enumType"): {"restrictive", "permissive"},
    ("securityCategoryTag", "tag7Encoding"): {"bitSetAttributes", "securityAttributes"},
    ("categoryGroup", "tagType"): TAG_TYPES,
    ("categoryGroup", "enumType"): {"restrictive", "permissive"},
    ("excludedCategory", "tagType"): TAG_TYPES,
    ("excludedCategory", "enumType"): {"restrictive", "permissive"},
    ("equivalentSecCategoryTag", "tagType"): TAG_TYPES,
    ("equivalentSecCategoryTag", "enumType"): {"restrictive", "permissive"},
    ("equivalentSecCategoryTag", "action"): {"discard"},
    ("equivalentSecCategoryTag", "applied"): {"encrypt", "decrypt", "both"},
    ("equivalentClassification", "applied"): {"encrypt", "decrypt", "both"},
    ("qualifier", "qualifierCode"): {"prefix", "suffix", "separator"},
    ("markingQualifier", "markingCode"): MARKING_CODES,
    ("requiredCategory", "operation"): {"onlyOne", "oneOrMore", "all"},
}
OID_ATTRS = {("SPIF", "privilegeId"), ("SPIF", "rbacId"), ("securityPolicyId", "id"),
             ("defaultSecurityPolicyId", "id"), ("securityCategoryTagSet", "id"),
             ("equivalentPolicy", "id"), ("equivalentSecCategoryTag", "tagSetId")}
INT_ATTRS = {("securityClassification", "lacv"), ("securityClassification", "hierarchy"),
             ("equivalentClassification", "lacv")}
OID_RE = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")
INT_RE = re.compile(r"^[+-]?[0-9]+$")

# file (relative to this directory) -> text the first error must contain
EXPECTED_FAILURES = {
    "invalid/out-of-order-children.xml": "order",
    "invalid/empty-classifications.xml": "at least 1 securityClassification",
    "invalid/missing-required-attribute.xml": "missing required attribute hierarchy",
    "invalid/wrong-root.xml": "root element",
    "invalid/wrong-namespace.xml": "root element",
    "invalid/unknown-marking-code.xml": "pageMiddle",
    "invalid/bad-tag-type.xml": "informative",
    "invalid/unknown-schema-version.xml": "3.0",
    "invalid/enumerated-without-enumType.xml": "enumType",
    "invalid/category-group-both-lacv-and-all.xml": "exactly one of lacv",
    "invalid/bad-oid.xml": "not an OID",
    "invalid/bad-lacv.xml": "not an integer",
}


def local(tag):
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def check_element(el, path, errors):
    name = local(el.tag)
    if not el.tag.startswith("{%s}" % NS):
        errors.append(f"{path}: element {el.tag} is not in the SPIF namespace")
        return
    if name not in GRAMMAR:
        errors.append(f"{path}: unknown SPIF element {name}")
        return
    for attr in REQUIRED_ATTRS.get(name, []):
        if attr not in el.attrib:
            errors.append(f"{path}: missing required attribute {attr}")
    for attr, value in el.attrib.items():
        allowed = ENUMS.get((name, attr))
        if allowed is not None and value not in allowed:
            errors.append(f"{path}/@{attr}: value {value!r} not in {sorted(allowed)}")
        if (name, attr) in OID_ATTRS and not OID_RE.match(value):
            errors.append(f"{path}/@{attr}: {value!r} is not an OID")
        if (name, attr) in INT_ATTRS and not INT_RE.match(value):
            errors.append(f"{path}/@{attr}: {value!r} is not an integer")
    if name == "securityCategoryTag" and el.get("tagType") == "enumerated" and "enumType" not in el.attrib:
        errors.append(f"{path}: tagType enumerated without enumType")
    if name in ("categoryGroup", "excludedCategory"):
        if ("lacv" in el.attrib) == (el.get("all") == "true"):
            errors.append(f"{path}: needs exactly one of lacv / all=\"true\"")
    if name == "code" and (el.text or "").strip() not in MARKING_CODES:
        errors.append(f"{path}: marking code {(el.text or '').strip()!r} unknown")
    if name not in TEXT_ELEMENTS and (el.text or "").strip():
        errors.append(f"{path}: unexpected text {el.text.strip()!r}")
    grammar = GRAMMAR[name]
    if grammar is None:
        return
    children = list(el)
    for c in children:
        if (c.tail or "").strip():
            errors.append(f"{path}: unexpected text {c.tail.strip()!r}")
    index = {"{%s}%s" % (NS, child): k for k, (child, _, _) in enumerate(grammar)}
    sequence = ", ".join(c for c, _, _ in grammar) or "(empty)"
    last = -1
    for c in children:
        k = index.get(c.tag)
        if k is None:
            errors.append(f"{path}: child {local(c.tag)} not allowed here (sequence: {sequence})")
            return
        if k < last:
            errors.append(f"{path}: child {local(c.tag)} out of order (sequence: {sequence})")
            return
        last = k
    i = 0
    for child, lo, hi in grammar:
        n = 0
        while i < len(children) and children[i].tag == "{%s}%s" % (NS, child):
            n += 1
            i += 1
        if n < lo:
            errors.append(f"{path}: needs at least {lo} {child} (at this point of the sequence), has {n}")
        if hi is not None and n > hi:
            errors.append(f"{path}: at most {hi} {child}, has {n}")
    counts = {}
    for c in children:
        n = counts.get(local(c.tag), 0) + 1
        counts[local(c.tag)] = n
        check_element(c, f"{path}/{local(c.tag)}[{n}]", errors)


def check_file(path):
    errors = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return [f"not well-formed: {e}"]
    if root.tag != "{%s}SPIF" % NS:
        return [f"root element is {root.tag}, not {{{NS}}}SPIF"]
    with open(path, "rb") as f:
        f.read().decode("utf-8")  # raises if not UTF-8
    check_element(root, "/SPIF", errors)
    return errors


def main():
    verbose = "-v" in sys.argv[1:]
    files = sorted(glob.glob(os.path.join(HERE, "*.xml")) + glob.glob(os.path.join(HERE, "invalid", "*.xml")))
    failures = 0
    for path in files:
        rel = os.path.relpath(path, HERE)
        errors = check_file(path)
        expected = EXPECTED_FAILURES.get(rel)
        if expected is None:
            ok = not errors
            status = "ok" if ok else "FAIL: " + "; ".join(errors[:5])
        else:
            ok = bool(errors) and expected in errors[0]
            status = (f"ok (rejected as expected: {errors[0]})" if ok else
                      f"FAIL: expected an error containing {expected!r}, got {errors[:3]}")
        failures += not ok
        if verbose or not ok:
            print(f"{rel}: {status}")
    missing = [f for f in EXPECTED_FAILURES if not os.path.exists(os.path.join(HERE, f))]
    for f in missing:
        print(f"{f}: FAIL: listed in EXPECTED_FAILURES but missing")
    failures += len(missing)
    print(f"{len(files) - failures + len(missing)} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
