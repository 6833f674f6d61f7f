#!/usr/bin/env python3
"""Writes the XML conformance corpus of crossguard (tests/data/xml/{valid,invalid}).

Every case is composed by hand for this project (nothing is copied from a third-party suite).
Invalid cases live in invalid/<error-code>/<case>.xml: the directory names the error kind the
reader must report. tests/xml_corpus.rs reads them under the corpus limits stated in
README.md. Re-run this script after editing it: `python3 tests/data/xml/generate.py`.
"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

LABEL = """<?xml version="1.0" encoding="UTF-8"?>
<slab:originatorConfidentialityLabel
    xmlns:slab="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"
    Id="lbl-0001" ReviewDateTime="2035-01-01T00:00:00Z">
  <slab:ConfidentialityInformation>
    <slab:PolicyIdentifier URI="urn:oid:2.25.126012349812034871230498712304987123">NATO</slab:PolicyIdentifier>
    <slab:Classification>SECRET</slab:Classification>
    <slab:Category Type="RESTRICTIVE" TagName="Additional Sensitivity">
      <slab:GenericValue>CRYPTO</slab:GenericValue>
    </slab:Category>
    <slab:Category Type="PERMISSIVE" TagName="Releasable To">
      <slab:GenericValue>NATO</slab:GenericValue>
      <slab:GenericValue>AUS</slab:GenericValue>
    </slab:Category>
  </slab:ConfidentialityInformation>
  <slab:OriginatorID IDType="rfc822Name">guard-test@example.org</slab:OriginatorID>
  <slab:CreationDateTime>2025-01-01T12:00:00Z</slab:CreationDateTime>
</slab:originatorConfidentialityLabel>
"""

SPIF = """<?xml version="1.0" encoding="UTF-8"?>
<!-- An Open XML SPIF 2.1 fragment in the shape of standards.md section 3.8 (private test OIDs). -->
<spif:SPIF xmlns:spif="http://www.xmlspif.org/spif" schemaVersion="2.1" version="1"
           creationDate="20250101000000Z" originatorDN="CN=crossguard test"
           keyIdentifier="00" privilegeId="2.25.1" rbacId="2.25.1">
  <spif:securityPolicyId name="NATO" id="2.25.126012349812034871230498712304987123"/>
  <spif:securityClassifications>
    <spif:securityClassification name="UNCLASSIFIED" lacv="1" hierarchy="1">
      <spif:markingData phrase="UNCLASSIFIED" xml:lang="en"><spif:code>pageTopBottom</spif:code></spif:markingData>
    </spif:securityClassification>
    <spif:securityClassification name="SECRET" lacv="5" hierarchy="4"/>
  </spif:securityClassifications>
  <spif:securityCategoryTagSets>
    <spif:securityCategoryTagSet name="Releasable To" id="2.25.2">
      <spif:securityCategoryTag name="Releasable To" tagType="enumerated" enumType="permissive">
        <spif:tagCategory name="AUS" lacv="36"/>
        <spif:tagCategory name="NATO" lacv="1000"><spif:markingQualifier markingCode="pageTopBottom"><spif:qualifier markingQualifier="Releasable to " qualifierCode="prefix"/></spif:markingQualifier></spif:tagCategory>
      </spif:securityCategoryTag>
    </spif:securityCategoryTagSet>
  </spif:securityCategoryTagSets>
</spif:SPIF>
"""

VALID = {
    "minimal": "<a/>",
    "declaration-full": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<a/>\n',
    "declaration-single-quotes-spaces": "<?xml version = '1.0' encoding = 'utf-8' ?><a/>",
    "declaration-us-ascii": '<?xml version="1.0" encoding="US-ASCII"?><a>plain &#233; by reference</a>',
    "bom": b"\xef\xbb\xbf<a/>",
    "bom-and-declaration": b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?><a/>',
    "namespaces-default-and-prefixed": '<r xmlns="urn:d" xmlns:p="urn:p"><p:c p:a="1" a="2"><d/></p:c></r>',
    "namespace-undeclare-default": '<a xmlns="urn:x"><b xmlns=""><c/></b></a>',
    "namespace-xml-prefix-declared": '<a xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:lang="en" xml:space="preserve"/>',
    "namespace-prefix-rebinding": '<p:a xmlns:p="urn:1"><p:a xmlns:p="urn:2"><p:a/></p:a></p:a>',
    "same-local-name-in-three-namespaces": '<a xmlns:p="urn:p" xmlns:q="urn:q" p:x="1" q:x="2" x="3"/>',
    "namespace-prefix-starting-with-xml": '<xmlfoo:a xmlns:xmlfoo="urn:reserved-but-not-fatal"/>',
    "namespace-uri-with-reference": '<a xmlns="urn:x?a=1&amp;b=2"/>',
    "references": "<a t='&lt;&gt;&amp;&apos;&quot;'>&lt;&gt;&amp;&apos;&quot; &#65;&#x42;&#x1F600;&#0000067;</a>",
    "cdata": "<a><![CDATA[<not-a-tag> & ]] ]>]]><![CDATA[]]></a>",
    "comments": "<!--before--><!----><a><!-- - inside - --></a><!--after-->",
    "processing-instructions": '<?xml-stylesheet href="style.css" type="text/css"?><a><?empty?><?target   data with ? and > ?></a><?after?>',
    "whitespace-in-tags": "<a  b = \"1\"\n\tc='2' \r\n></a >",
    "crlf-line-endings": "<a>\r\n  <b attr='x\r\ny'>line\rbreak</b>\r\n</a>\r\n",
    "unicode-names": "<donn\u00e9es \u00e9t\u00e9=\"\u00e9t\u00e9\" a\u00b7b=\"1\" x\u0301=\"2\"><\u65e5\u672c/><_\u2040-./></donn\u00e9es>",
    "unicode-text": "<a>\u65e5\u672c\u8a9e \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \U0001F600 \u007f\u0085 \uFFFD</a>",
    "gt-and-brackets-in-text": "<a>a > b ]] ] ]]&gt; ]]</a>",
    "quotes-in-attributes": "<a q='\"' a=\"'\" g=\">\" s='a/b'/>",
    "attribute-whitespace-normalised": "<a v='one\ttwo\nthree'/>",
    "whitespace-around-root": "\n\n  <a/>  \n\t\n",
    "deep-nesting": "<d>" * 60 + "</d>" * 60,
    "many-attributes": "<a " + " ".join(f'a{i}="{i}"' for i in range(60)) + "/>",
    "empty-attribute-values": "<a x='' y=\"\"/>",
    "mixed-content": "<p>Text <b>bold</b> and <i>italic <b>both</b></i>.</p>",
    "stanag-4774-label": LABEL,
    "spif-fragment": SPIF,
    "track-reports": '<tracks xmlns="urn:example:tracks">\n'
    + "".join(
        f'  <track id="{i}" class="FRIEND"><pos lat="{50 + i / 100:.4f}" lon="{4 + i / 50:.4f}"/><time>2025-01-01T12:00:{i:02d}Z</time><speed unit="kn">{i * 3}</speed></track>\n'
        for i in range(20)
    )
    + "</tracks>\n",
}

INVALID = {
    "invalid-utf8": {
        "lone-continuation": b"<a>\x80</a>",
        "overlong-slash": b"<a>\xc0\xaf</a>",
        "truncated-sequence": b"<a>\xe6\x97</a>",
        "encoded-surrogate": b"<a>\xed\xa0\x80</a>",
        "latin1-bytes": b"<a>caf\xe9</a>",
    },
    "illegal-char": {
        "nul-in-text": b"<a>\x00</a>",
        "vertical-tab-in-attribute": b"<a b='\x0b'/>",
        "fffe-in-comment": "<a><!--\ufffe--></a>",
        "ffff-in-text": "<a>\uffff</a>",
        "control-in-cdata": b"<a><![CDATA[\x01]]></a>",
        "escape-in-name": b"<a\x1b/>",
        "form-feed-outside-root": b"<a/>\x0c",
    },
    "non-ascii-in-ascii-document": {
        "e-acute": '<?xml version="1.0" encoding="US-ASCII"?><a>caf\u00e9</a>',
    },
    "unexpected-eof": {
        "open-start-tag": "<a",
        "in-attribute-value": '<a b="1',
        "in-comment": "<a><!-- never closed",
        "in-cdata": "<a><![CDATA[x",
        "in-pi": "<a><?pi data",
        "in-end-tag": "<a></a",
        "bare-lt": "<a><",
        "after-lt-bang": "<a><!",
    },
    "unexpected": {
        "no-space-between-attributes": '<a b="1"c="2"/>',
        "unquoted-value": "<a b=1/>",
        "attribute-without-value": "<a b/>",
        "attribute-in-end-tag": "<a></a b='1'>",
        "space-in-empty-tag-close": "<a/ >",
        "element-declaration": "<a><!ELEMENT a ANY></a>",
        "pi-target-not-followed-by-space": "<a><?pi\u00d7?></a>",
    },
    "invalid-name": {
        "digit-start": "<1a/>",
        "hyphen-start": "<-a/>",
        "middle-dot-start": "<\u00b7a/>",
        "attribute-digit-start": '<a 1b="x"/>',
        "pi-target-missing": "<a><? pi?></a>",
        "pi-target-with-colon": "<a><?p:i?></a>",
        "space-after-lt": "< a/>",
    },
    "invalid-qualified-name": {
        "two-colons": '<a:b:c xmlns:a="urn:a"/>',
        "leading-colon": "<:a/>",
        "empty-local-part": '<a: xmlns:a="urn:a"/>',
        "attribute-empty-local": '<a xmlns:p="urn:p" p:="x"/>',
    },
    "duplicate-attribute": {
        "plain": '<a b="1" b="2"/>',
        "prefixed-declaration-twice": '<a xmlns:p="urn:p" xmlns:p="urn:p"/>',
        "default-declaration-twice": '<a xmlns="urn:d" xmlns="urn:d"/>',
        "many-attributes-sorted-path": "<a " + " ".join(f'a{i}="{i}"' for i in range(30)) + ' a7="again"/>',
    },
    "duplicate-expanded-attribute": {
        "two-prefixes-one-namespace": '<a xmlns:p="urn:u" xmlns:q="urn:u" p:x="1" q:x="2"/>',
        "inherited-binding": '<r xmlns:p="urn:u"><a xmlns:q="urn:u" p:x="1" q:x="2"/></r>',
    },
    "lt-in-attribute-value": {
        "double-quoted": '<a b="<"/>',
        "single-quoted-after-reference": "<a b='&amp;<'/>",
    },
    "cdata-end-in-text": {
        "bare": "<a>]]></a>",
        "after-text": "<a>text ]]]> more</a>",
    },
    "undefined-entity": {
        "nbsp": "<a>&nbsp;</a>",
        "in-attribute": '<a b="&foo;"/>',
        "case-variant": "<a>&AMP;</a>",
    },
    "malformed-reference": {
        "bare-ampersand": "<a>fish & chips</a>",
        "missing-semicolon": "<a>&amp</a>",
        "empty-hex": "<a>&#x;</a>",
        "bad-decimal": "<a>&#12a;</a>",
        "uppercase-x": "<a>&#X41;</a>",
        "in-attribute": "<a b='&'/>",
    },
    "invalid-char-reference": {
        "nul": "<a>&#0;</a>",
        "surrogate": "<a>&#xD800;</a>",
        "ffff": "<a>&#xFFFF;</a>",
        "beyond-unicode": "<a>&#x110000;</a>",
        "control-in-attribute": "<a b='&#x1B;'/>",
        "huge": "<a>&#99999999999999999999999;</a>",
    },
    "mismatched-end-tag": {
        "crossed": "<a><b></a></b>",
        "case": "<a></A>",
        "same-namespace-other-prefix": '<p:a xmlns:p="urn:u" xmlns:q="urn:u"></q:a>',
    },
    "unmatched-end-tag": {
        "only-end-tag": "</a>",
        "end-tag-after-root": "<a/></a>",
    },
    "unclosed-element": {
        "child-closed-root-not": "<a><b></b>",
        "text-to-end": "<a>text",
    },
    "missing-root": {
        "empty": "",
        "only-whitespace": " \n\t",
        "only-comment": "<!-- nothing else -->",
        "only-declaration": '<?xml version="1.0"?>',
        "only-bom": b"\xef\xbb\xbf",
    },
    "multiple-roots": {
        "two-elements": "<a/><b/>",
        "after-comment": "<a/><!--x--><a/>",
    },
    "text-outside-root": {
        "before": "x<a/>",
        "after": "<a/>x",
        "reference-after": "<a/>&amp;",
        "cdata-before": "<![CDATA[x]]><a/>",
        "nbsp-is-not-space": "\u00a0<a/>",
    },
    "misplaced-xml-declaration": {
        "after-whitespace": ' <?xml version="1.0"?><a/>',
        "after-comment": '<!--c--><?xml version="1.0"?><a/>',
        "in-content": '<a><?xml version="1.0"?></a>',
        "after-bom-and-space": b'\xef\xbb\xbf <?xml version="1.0"?><a/>',
    },
    "malformed-xml-declaration": {
        "no-version": "<?xml?><a/>",
        "encoding-before-version": "<?xml encoding='UTF-8' version='1.0'?><a/>",
        "standalone-maybe": "<?xml version='1.0' standalone='maybe'?><a/>",
        "version-2": "<?xml version='2.0'?><a/>",
        "unquoted-version": "<?xml version=1.0?><a/>",
        "bad-encoding-name": "<?xml version='1.0' encoding='-utf8'?><a/>",
        "unknown-pseudo-attribute": "<?xml version='1.0' charset='utf-8'?><a/>",
    },
    "double-hyphen-in-comment": {
        "inside": "<a><!-- a -- b --></a>",
        "three-hyphens-at-end": "<a><!-- a ---></a>",
    },
    "reserved-pi-target": {
        "upper-case": "<a><?XML data?></a>",
        "mixed-case-before-root": "<?Xml?><a/>",
    },
    "undeclared-prefix": {
        "element": "<p:a/>",
        "attribute": "<a p:b='1'/>",
        "out-of-scope": '<r><a xmlns:p="urn:p"/><p:b/></r>',
        "xmlns-prefix-attribute-not-declaration": "<a q:xmlns='x'/>",
    },
    "empty-prefixed-namespace": {
        "undeclare-prefix": '<a xmlns:p=""/>',
    },
    "reserved-namespace": {
        "declare-xmlns-prefix": '<a xmlns:xmlns="http://www.w3.org/2000/xmlns/"/>',
        "rebind-xml-prefix": '<a xmlns:xml="urn:other"/>',
        "xml-namespace-other-prefix": '<a xmlns:x="http://www.w3.org/XML/1998/namespace"/>',
        "xml-namespace-as-default": '<a xmlns="http://www.w3.org/XML/1998/namespace"/>',
        "xmlns-namespace-bound": '<a xmlns:x="http://www.w3.org/2000/xmlns/"/>',
        "xmlns-prefix-on-element": "<xmlns:a/>",
        "xml-prefix-on-element": "<r><xml:a/></r>",
    },
    "doctype-forbidden": {
        "simple": "<!DOCTYPE a><a/>",
        "billion-laughs": '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>',
        "external-entity": '<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>',
        "public-external-subset": '<!DOCTYPE a PUBLIC "-//X//DTD X//EN" "http://example.invalid/x.dtd"><a/>',
        "after-comment": "<!--c--><!DOCTYPE a><a/>",
        "inside-root": "<a><!DOCTYPE a></a>",
    },
    "utf16-unsupported": {
        "utf16le-bom": "\ufeff<a/>".encode("utf-16-le"),
        "utf16be-bom": "\ufeff<a/>".encode("utf-16-be"),
        "utf16be-no-bom": '<?xml version="1.0"?><a/>'.encode("utf-16-be"),
        "utf16le-no-bom": "<a/>".encode("utf-16-le"),
    },
    "unsupported-encoding": {
        "iso-8859-1": '<?xml version="1.0" encoding="ISO-8859-1"?><a/>',
        "utf-16-declared": '<?xml version="1.0" encoding="UTF-16"?><a/>',
        "windows-1252": "<?xml version='1.0' encoding='windows-1252'?><a/>",
        "utf8-without-hyphen": "<?xml version='1.0' encoding='UTF8'?><a/>",
    },
    "unsupported-version": {
        "xml-1-1": '<?xml version="1.1"?><a/>',
        "xml-1-5": '<?xml version="1.5"?><a/>',
    },
    # The limit cases below exceed the corpus limits given in README.md.
    "input-too-large": {
        "over-64-kib": "<a>" + "x" * (64 * 1024) + "</a>",
    },
    "depth-limit-exceeded": {
        "depth-65": "<d>" * 65 + "</d>" * 65,
    },
    "too-many-attributes": {
        "sixty-five": "<a " + " ".join(f'a{i}="{i}"' for i in range(65)) + "/>",
        "declarations-count": "<a " + " ".join(f'xmlns:p{i}="urn:{i}"' for i in range(20)) + " " + " ".join(f'a{i}="{i}"' for i in range(50)) + "/>",
    },
    "name-too-long": {
        "element": "<" + "n" * 257 + "/>",
        "pi-target": "<a><?" + "t" * 257 + "?></a>",
    },
    "too-many-namespace-declarations": {
        "nested": "".join(f'<e xmlns:p{i}="urn:{i}">' for i in range(33)) + "</e>" * 33,
    },
    "too-many-nodes": {
        "many-children": "<a>" + "<b/>" * 1000 + "</a>",
    },
}


def write(path, content):
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def main():
    for sub in ("valid", "invalid"):
        shutil.rmtree(os.path.join(HERE, sub), ignore_errors=True)
    os.makedirs(os.path.join(HERE, "valid"))
    for name, content in VALID.items():
        write(os.path.join(HERE, "valid", name + ".xml"), content)
    for code, cases in INVALID.items():
        d = os.path.join(HERE, "invalid", code)
        os.makedirs(d)
        for name, content in cases.items():
            write(os.path.join(d, name + ".xml"), content)


if __name__ == "__main__":
    main()
