#!/usr/bin/env python3
"""Regenerate the STANAG 4774 XML test labels in this directory tree.

TEST DATA ONLY (crossguard): every label is composed by us under the private "NATO-like demo"
policy (OID 2.25.126012349812034871230498712304987123) or the fictitious XLAND policy
(…124); none is a real NATO label. The expected verdicts and markings are in README.md (and
are checked by check_labels.py).

Usage: python3 generate.py      (rewrites every label it knows; files it does not know are left alone)
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SLAB = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"
NATO_OID = "2.25.126012349812034871230498712304987123"
XLAND_OID = "2.25.126012349812034871230498712304987124"
POLICY_URI = {"NATO": "urn:oid:" + NATO_OID, "XLAND": "urn:oid:" + XLAND_OID}
CREATED = "2025-01-01T12:00:00Z"
REVIEW = "2035-01-01T00:00:00Z"

# 4774 Type of each tag set (from the SPIF tagType, standards.md §3.3)
TYPES = {
    "NATO": {"Additional Sensitivity": "RESTRICTIVE", "Releasable To": "PERMISSIVE",
             "Only": "PERMISSIVE", "Administrative": "INFORMATIVE", "Context": "PERMISSIVE"},
    "XLAND": {"Handling": "RESTRICTIVE", "Releasable To": "PERMISSIVE"},
}
TAG_SET_OID = {("NATO", "Additional Sensitivity"): NATO_OID + ".1",
               ("NATO", "Releasable To"): NATO_OID + ".2",
               ("NATO", "Administrative"): NATO_OID + ".3",
               ("NATO", "Context"): NATO_OID + ".4",
               ("NATO", "Only"): NATO_OID + ".5"}

COMMENT = {
    "NATO": ("<!-- TEST DATA ONLY (crossguard): composed label under the private NATO-like demo policy\n"
             "     (tests/data/policy/nato-demo.xml, OID 2.25.126012349812034871230498712304987123).\n"
             "     Not a real NATO label. {note} -->"),
    "XLAND": ("<!-- TEST DATA ONLY (crossguard): composed label under the fictitious XLAND policy\n"
              "     (tests/data/policy/xland.xml, OID 2.25.126012349812034871230498712304987124). {note} -->"),
}


def info(policy, classification, categories, indent="    ", privacy=None, category_uris=False,
         policy_name=None, policy_uri=None, extra=""):
    """The ConfidentialityInformation element. categories: [(TagName, [values])] (Type from TYPES)
    or [(TagName, Type, [values])]."""
    p = indent
    out = [f"{p[:-2]}<slab:ConfidentialityInformation>"]
    uri = POLICY_URI.get(policy) if policy_uri is None else policy_uri
    uri_attr = f' URI="{uri}"' if uri else ""
    out.append(f"{p}<slab:PolicyIdentifier{uri_attr}>{policy_name or policy}</slab:PolicyIdentifier>")
    out.append(f"{p}<slab:Classification>{classification}</slab:Classification>")
    if privacy is not None:
        out.append(f"{p}<slab:PrivacyMark>{privacy}</slab:PrivacyMark>")
    for cat in categories:
        if len(cat) == 2:
            tag, values = cat
            typ = TYPES[policy][tag]
        else:
            tag, typ, values = cat
        uri = ""
        if category_uris and (policy, tag) in TAG_SET_OID:
            uri = f' URI="urn:oid:{TAG_SET_OID[(policy, tag)]}"'
        if not values:
            out.append(f'{p}<slab:Category Type="{typ}" TagName="{tag}"{uri}/>')
            continue
        out.append(f'{p}<slab:Category Type="{typ}" TagName="{tag}"{uri}>')
        for v in values:
            if isinstance(v, tuple):  # (element, text)
                out.append(f"{p}  <slab:{v[0]}>{v[1]}</slab:{v[0]}>")
            else:
                out.append(f"{p}  <slab:GenericValue>{v}</slab:GenericValue>")
        out.append(f"{p}</slab:Category>")
    if extra:
        out.append(extra)
    out.append(f"{p[:-2]}</slab:ConfidentialityInformation>")
    return "\n".join(out)


def label(policy, classification, categories, note, *, root="originatorConfidentialityLabel",
          ident=None, review=REVIEW, created=CREATED, originator=None, privacy=None,
          category_uris=False, policy_name=None, policy_uri=None, namespace=SLAB,
          info_extra="", tail="", root_attrs="", succession=None):
    attrs = ""
    if ident:
        attrs += f' Id="{ident}"'
    if review:
        attrs += f' ReviewDateTime="{review}"'
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', COMMENT[policy].format(note=note)]
    lines.append(f'<slab:{root} xmlns:slab="{namespace}"{root_attrs}{attrs}>')
    lines.append(info(policy, classification, categories, privacy=privacy,
                      category_uris=category_uris, policy_name=policy_name,
                      policy_uri=policy_uri, extra=info_extra))
    if originator:
        lines.append(f'  <slab:OriginatorID IDType="{originator[0]}">{originator[1]}</slab:OriginatorID>')
    if created is not None:
        lines.append(f"  <slab:CreationDateTime>{created}</slab:CreationDateTime>")
    if succession:
        lines.append(succession)
    if tail:
        lines.append(tail)
    lines.append(f"</slab:{root}>")
    return "\n".join(lines) + "\n"


CTX_NR = ("Context", ["NATO", "Releasable"])
CTX_N = ("Context", ["NATO"])

LABELS = {}

# --- standards.md §1.6 Table 17, one file per row -------------------------------------------
LABELS["table17-1.xml"] = label("NATO", "UNCLASSIFIED", [
    ("Releasable To", ["NATO", "ISAF", "KFOR", "RESOLUTE SUPPORT"]), CTX_NR],
    "Table 17 row 1.", ident="lbl-table17-1")
LABELS["table17-2.xml"] = label("NATO", "UNCLASSIFIED", [CTX_N],
                                "Table 17 row 2.", ident="lbl-table17-2")
LABELS["table17-3.xml"] = label("NATO", "UNCLASSIFIED", [("Administrative", ["STAFF"]), CTX_N],
                                "Table 17 row 3.", ident="lbl-table17-3")
LABELS["table17-4.xml"] = label("NATO", "RESTRICTED", [
    ("Releasable To", ["NATO", "JPN", "CHE", "UKR"]), CTX_NR],
    "Table 17 row 4.", ident="lbl-table17-4")
LABELS["table17-5.xml"] = label("NATO", "CONFIDENTIAL", [
    ("Releasable To", ["EAPC", "ISAF"]), ("Context", ["EAPC", "Releasable"])],
    "Table 17 row 5.", ident="lbl-table17-5")
LABELS["table17-6.xml"] = label("NATO", "CONFIDENTIAL", [
    ("Only", ["NATO", "IRL", "SWE", "UKR"]), ("Context", ["KFOR"])],
    "Table 17 row 6.", ident="lbl-table17-6")

# --- other valid NATO-demo labels ------------------------------------------------------------
LABELS["example-1.9.xml"] = label("NATO", "SECRET", [
    ("Additional Sensitivity", ["CRYPTO"]), ("Releasable To", ["NATO", "AUS"]), CTX_NR],
    "The standards.md §1.9 example plus Context {NATO, Releasable}.", ident="lbl-0001",
    originator=("rfc822Name", "guard-test@example.org"))
LABELS["secret-rel-aus.xml"] = label("NATO", "SECRET", [
    ("Releasable To", ["NATO", "AUS"]), CTX_NR],
    "4774 twin of the ESS example of standards.md §4.4.", ident="lbl-secret-rel-aus")
LABELS["top-secret.xml"] = label("NATO", "TOP SECRET", [CTX_N], "", ident="lbl-top-secret")
LABELS["restricted-nato.xml"] = label("NATO", "RESTRICTED", [CTX_N], "", ident="lbl-restricted-nato")
LABELS["unclassified-nato.xml"] = label("NATO", "UNCLASSIFIED", [CTX_N], "",
                                        ident="lbl-unclassified-nato")
LABELS["confidential-rel-xland.xml"] = label("NATO", "CONFIDENTIAL", [
    ("Additional Sensitivity", ["CRYPTO"]), ("Releasable To", ["NATO", "XLD"]), CTX_NR],
    "Maps to XLAND; Category/@URI given.", ident="lbl-confidential-rel-xland", category_uris=True)
LABELS["case-insensitive-values.xml"] = label("NATO", "Secret", [
    ("Additional Sensitivity", ["Crypto"]), ("Releasable To", ["nato", "Aus"]),
    ("Context", ["Nato", "releasable"])],
    "Value case variants: valid because NATO values are case-insensitive.",
    ident="lbl-case-insensitive")
LABELS["privacy-clear.xml"] = label("NATO", "RESTRICTED", [CTX_N], "PrivacyMark CLEAR.",
                                    ident="lbl-privacy-clear", privacy="CLEAR")
LABELS["metadata.xml"] = label("NATO", "UNCLASSIFIED", [CTX_N], "Root metadataConfidentialityLabel.",
                               root="metadataConfidentialityLabel", ident="lbl-metadata")
LABELS["legacy-root.xml"] = label("NATO", "RESTRICTED", [CTX_N], "Legacy root ConfidentialityLabel.",
                                  root="ConfidentialityLabel", ident="lbl-legacy")
LABELS["originator-id.xml"] = label("NATO", "CONFIDENTIAL", [CTX_N], "With OriginatorID.",
                                    ident="lbl-originator-id",
                                    originator=("rfc822Name", "originator@example.org"))
SUCCESSOR = "\n".join([
    "  <slab:SuccessionHandling>",
    "    <slab:SuccessionDateTime>2030-01-01T00:00:00Z</slab:SuccessionDateTime>",
    "    <slab:SuccessorConfidentialityLabel>",
    info("NATO", "RESTRICTED", [CTX_N], indent="        "),
    f"      <slab:CreationDateTime>{CREATED}</slab:CreationDateTime>",
    "    </slab:SuccessorConfidentialityLabel>",
    "  </slab:SuccessionHandling>"])
LABELS["succession.xml"] = label("NATO", "CONFIDENTIAL", [CTX_N],
                                 "No ReviewDateTime; SuccessionHandling instead.",
                                 ident="lbl-succession", review=None, succession=SUCCESSOR)
LABELS["extensions.xml"] = label(
    "NATO", "SECRET", [("Releasable To", ["NATO", "AUS"]), CTX_NR],
    "Foreign-namespace extensions (must be tolerated, never trusted).", ident="lbl-extensions",
    root_attrs=' xmlns:ext="urn:example:crossguard:test-extension" ext:origin="test-bench"',
    info_extra='    <ext:HandlingNote lang="en">Local handling note; ignored by other systems.</ext:HandlingNote>',
    tail='  <ext:LocalAudit>\n    <ext:Entry seq="1">created by the test generator</ext:Entry>\n  </ext:LocalAudit>')

# --- XLAND labels ----------------------------------------------------------------------------
LABELS["xland-secret.xml"] = label("XLAND", "XLAND SECRET", [
    ("Handling", ["CRYPTO"]), ("Releasable To", ["NATO", "AUS"])], "", ident="lbl-xland-secret")
LABELS["xland-noforn.xml"] = label("XLAND", "XLAND CONFIDENTIAL", [("Handling", ["NOFORN"])],
                                   "NOFORN has no NATO equivalent: not mappable.",
                                   ident="lbl-xland-noforn")
LABELS["alternative.xml"] = label("XLAND", "XLAND CONFIDENTIAL", [
    ("Handling", ["CRYPTO"]), ("Releasable To", ["NATO", "XLD"])],
    "alternativeConfidentialityLabel: the XLAND equivalent of confidential-rel-xland.xml.",
    root="alternativeConfidentialityLabel", ident="lbl-alternative")

# --- lenient-mode samples (strict mode rejects them) -----------------------------------------
SRA = [("Releasable To", ["NATO", "AUS"]), CTX_NR]
LABELS["lenient/lowercase-attrs.xml"] = label(
    "NATO", "SECRET", SRA, "LENIENT sample: tagName=/type= instead of TagName=/Type=.",
    ident="lbl-lenient-lowercase").replace('<slab:Category Type="', '<slab:Category type="').replace(
    '" TagName="', '" tagName="')
LABELS["lenient/type-case.xml"] = label(
    "NATO", "SECRET", [("Releasable To", "Permissive", ["NATO", "AUS"]),
                       ("Context", "Permissive", ["NATO", "Releasable"])],
    'LENIENT sample: Type="Permissive" (the schema wants PERMISSIVE).', ident="lbl-lenient-type-case")
LABELS["lenient/no-creation.xml"] = label(
    "NATO", "SECRET", SRA, "LENIENT sample: no CreationDateTime.", ident="lbl-lenient-no-creation",
    created=None)

# --- invalid labels (one defect each; reason = file name) -----------------------------------
def inv(reason, *args, **kw):
    kw.setdefault("ident", "lbl-invalid-" + reason)
    LABELS[f"invalid/{reason}.xml"] = label(*args, **kw)


inv("atomal-restricted", "NATO", "RESTRICTED", [("Additional Sensitivity", ["ATOMAL"]), CTX_N],
    "INVALID: ATOMAL is excluded at RESTRICTED (excludedClass).")
inv("aus-without-releasable", "NATO", "SECRET", [("Releasable To", ["NATO", "AUS"]), CTX_N],
    "INVALID: Releasable To without Context Releasable (requiredCategory).")
inv("swe-with-atomal", "NATO", "SECRET", [("Additional Sensitivity", ["ATOMAL"]),
                                          ("Releasable To", ["NATO", "SWE"]), CTX_NR],
    "INVALID: SWE excludes ATOMAL (excludedCategory).")
inv("staff-secret", "NATO", "SECRET", [("Administrative", ["STAFF"]), CTX_N],
    "INVALID: STAFF is only for UNCLASSIFIED (requiredClass).")
inv("no-context", "NATO", "SECRET", [], "INVALID: no Context value (classification requiredCategory onlyOne).")
inv("two-contexts", "NATO", "SECRET", [("Context", ["NATO", "KFOR"])],
    "INVALID: two Context values (requiredCategory onlyOne).")
inv("unknown-classification", "NATO", "VERY SECRET", [CTX_N], "INVALID: unknown classification.")
inv("unknown-category-value", "NATO", "SECRET", [("Releasable To", ["NATO", "ATLANTIS"]), CTX_NR],
    "INVALID: Releasable To value ATLANTIS does not exist.")
inv("unknown-tag-name", "NATO", "SECRET", [("Caveats", "RESTRICTIVE", ["CRYPTO"]), CTX_N],
    "INVALID: no tag set named Caveats.")
inv("wrong-type", "NATO", "SECRET", [("Releasable To", "RESTRICTIVE", ["NATO", "AUS"]), CTX_NR],
    "INVALID: Releasable To is PERMISSIVE, the label says RESTRICTIVE.")
inv("unknown-policy", "NATO", "SECRET", [CTX_N], "INVALID: policy OTHER is not known.",
    policy_name="OTHER", policy_uri="urn:oid:" + NATO_OID + ".999")
inv("integer-value", "NATO", "SECRET",
    [("Releasable To", ["NATO", ("IntegerValue", "36")]), CTX_NR],
    "INVALID: IntegerValue (only GenericValue may be used).")
inv("empty-category", "NATO", "SECRET", [("Additional Sensitivity", []), CTX_N],
    "INVALID: a Category with no value.")
inv("duplicate-category", "NATO", "SECRET",
    [("Releasable To", ["NATO", "AUS"]), ("Context", ["NATO"]), ("Context", ["Releasable"])],
    "INVALID: two Category elements with TagName Context.")
inv("obsolete-siop", "NATO", "SECRET", [("Additional Sensitivity", ["SIOP"]), CTX_N],
    "SIOP is obsolete: readable, flagged, not valid for a new label.")
inv("bad-datetime", "NATO", "SECRET", [CTX_N], "INVALID: CreationDateTime is not an xs:dateTime.",
    created="yesterday")
inv("privacy-mark-unknown", "NATO", "SECRET", [CTX_N], "INVALID: privacy mark FOO is not in the policy.",
    privacy="FOO")
inv("wrong-namespace", "NATO", "SECRET", [CTX_N],
    "INVALID: elements in namespace ...:1:1 instead of ...:1:0.",
    namespace="urn:nato:stanag:4774:confidentialitymetadatalabel:1:1")
inv("no-review-no-succession", "NATO", "SECRET", [CTX_N],
    "INVALID: neither ReviewDateTime nor SuccessionHandling.", review=None)

base = label("NATO", "SECRET", [CTX_N], "INVALID: Classification/@URI must not be used.",
             ident="lbl-invalid-classification-uri")
LABELS["invalid/classification-uri.xml"] = base.replace(
    "<slab:Classification>", f'<slab:Classification URI="urn:oid:{NATO_OID}.0.4">', 1)
base = label("NATO", "SECRET", [CTX_N], "INVALID: Classification comes before PolicyIdentifier.",
             ident="lbl-invalid-wrong-order")
pi = f'    <slab:PolicyIdentifier URI="urn:oid:{NATO_OID}">NATO</slab:PolicyIdentifier>\n'
cl = "    <slab:Classification>SECRET</slab:Classification>\n"
assert base.count(pi + cl) == 1
LABELS["invalid/wrong-order.xml"] = base.replace(pi + cl, cl + pi)
base = label("NATO", "SECRET", [CTX_N],
             "INVALID (not well-formed): bytes after the root element.", ident="lbl-invalid-trailing")
LABELS["invalid/trailing-garbage.xml"] = base + "TRAILING GARBAGE after the root element\n"


def main():
    for rel, text in sorted(LABELS.items()):
        path = os.path.join(HERE, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"wrote {len(LABELS)} labels")


if __name__ == "__main__":
    main()
