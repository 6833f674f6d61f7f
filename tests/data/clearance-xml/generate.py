#!/usr/bin/env python3
"""Regenerate the STANAG 4774 XML clearances in this directory (standards.md §1.8 structure).

TEST DATA ONLY (crossguard): composed clearances under the private NATO-like demo policy
(OID 2.25.126012349812034871230498712304987123) and the fictitious XLAND policy (…124).
Expected use and access decisions: README.md; cross-checked by ../label/check_labels.py.

Usage: python3 generate.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SCLR = "urn:nato:stanag:4774:confidentialityclearance:1:0"
SLAB = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"
URI = {"NATO": "urn:oid:2.25.126012349812034871230498712304987123",
       "XLAND": "urn:oid:2.25.126012349812034871230498712304987124"}
TYPES = {"Additional Sensitivity": "RESTRICTIVE", "Releasable To": "PERMISSIVE", "Only": "PERMISSIVE",
         "Administrative": "INFORMATIVE", "Context": "PERMISSIVE", "Handling": "RESTRICTIVE"}
NATO_CLASSES = ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"]
CONTEXT_ALL = ["NATO", "EAPC", "KFOR", "ISAF", "RESOLUTE SUPPORT", "Releasable"]
RELTO_ALL = ["NATO", "EAPC", "ISAF", "KFOR", "RESOLUTE SUPPORT", "AUS", "FRA", "DEU", "IRL", "JPN",
             "SWE", "CHE", "UKR", "GBR", "USA", "WSM", "XLD"]
ONLY_ALL = ["NATO", "IRL", "SWE", "UKR", "GBR", "USA"]


def clearance(policy, classes, categories, note, *, root="sclr:ConfidentialityClearance",
              with_list=True):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             "<!-- TEST DATA ONLY (crossguard): composed clearance under the "
             + ("private NATO-like demo policy\n     (tests/data/policy/nato-demo.xml)"
                if policy == "NATO" else "fictitious XLAND policy\n     (tests/data/policy/xland.xml)")
             + f".\n     Not real NATO or national material. {note} -->",
             f'<{root} xmlns:sclr="{SCLR}"',
             f'    xmlns:slab="{SLAB}">',
             f'  <slab:PolicyIdentifier URI="{URI[policy]}">{policy}</slab:PolicyIdentifier>']
    ind = "    " if with_list else "  "
    if with_list:
        lines.append("  <sclr:ClassificationList>")
    for c in classes:
        lines.append(f"{ind}<slab:Classification>{c}</slab:Classification>")
    if with_list:
        lines.append("  </sclr:ClassificationList>")
    for tag, values in categories:
        lines.append(f'  <slab:Category Type="{TYPES[tag]}" TagName="{tag}">')
        for v in values:
            lines.append(f"    <slab:GenericValue>{v}</slab:GenericValue>")
        lines.append("  </slab:Category>")
    lines.append(f"</{root}>")
    return "\n".join(lines) + "\n"


FILES = {
    "uk-like.xml": clearance("NATO", NATO_CLASSES, [
        ("Additional Sensitivity", ["CRYPTO"]), ("Releasable To", ["NATO", "GBR"]),
        ("Only", ["NATO", "GBR"]), ("Context", CONTEXT_ALL)], "A UK-like user."),
    "samoa-like.xml": clearance("NATO", ["UNCLASSIFIED", "RESTRICTED"], [
        ("Releasable To", ["WSM"]), ("Context", ["Releasable"])], "A Samoa-like user."),
    "nato-secret-interface.xml": clearance("NATO", NATO_CLASSES, [
        ("Additional Sensitivity", ["ATOMAL", "CRYPTO"]), ("Releasable To", RELTO_ALL),
        ("Only", ONLY_ALL), ("Context", CONTEXT_ALL)],
        "The NATO SECRET side of a guard interface."),
    "mission-restricted-interface.xml": clearance("NATO", ["UNCLASSIFIED", "RESTRICTED"], [
        ("Releasable To", ["NATO", "ISAF", "RESOLUTE SUPPORT", "AUS", "JPN", "CHE", "UKR"]),
        ("Context", ["NATO", "ISAF", "RESOLUTE SUPPORT", "Releasable"])],
        "The mission (RESTRICTED) side of a guard interface."),
    "gap-clearance.xml": clearance("NATO", ["UNCLASSIFIED", "SECRET"], [("Context", ["NATO"])],
                                   "Classification list with a gap (no RESTRICTED, no CONFIDENTIAL)."),
    "xland-secret.xml": clearance("XLAND", ["XLAND UNCLASSIFIED", "XLAND RESTRICTED",
                                            "XLAND CONFIDENTIAL", "XLAND SECRET"], [
        ("Handling", ["CRYPTO"]), ("Releasable To", ["NATO", "XLD"])], "An XLAND SECRET user."),
    "invalid/unknown-class.xml": clearance("NATO", ["UNCLASSIFIED", "ULTRA"], [("Context", ["NATO"])],
                                           "INVALID: ULTRA is not a classification of the policy."),
    "invalid/wrong-root.xml": clearance("NATO", ["UNCLASSIFIED"], [("Context", ["NATO"])],
                                        "INVALID: root sclr:Clearance instead of sclr:ConfidentialityClearance.",
                                        root="sclr:Clearance"),
    "invalid/no-classification-list.xml": clearance(
        "NATO", ["UNCLASSIFIED", "RESTRICTED"], [("Context", ["NATO"])],
        "INVALID: Classification elements directly under the root, no sclr:ClassificationList.",
        with_list=False),
}


def main():
    for rel, text in sorted(FILES.items()):
        path = os.path.join(HERE, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"wrote {len(FILES)} clearances")


if __name__ == "__main__":
    main()
