#!/usr/bin/env python3
"""Extract ESS-label and Clearance test vectors from the pyasn1-modules 0.4.1 test suite.

Usage:
    pip download pyasn1-modules==0.4.1 --no-binary :all: --no-deps -d /tmp/pyasn1src
    tar -xzf /tmp/pyasn1src/pyasn1_modules-0.4.1.tar.gz -C /tmp/pyasn1src
    python3 tests/data/clearance/extract_pyasn1_vectors.py /tmp/pyasn1src/pyasn1_modules-0.4.1/tests

Standard library only: a minimal DER walker finds the structures by OID anywhere in the test
messages (inside OCTET STRINGs too) and writes them, byte for byte, to tests/data/ess/ and
tests/data/clearance/. pyasn1-modules is BSD-2-Clause (Ilya Etingof; the RFC 3114, 5755 and
5913 tests were written by Russ Housley, Vigil Security).
"""
import base64
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
ESS_DIR = HERE.parent / "ess"
CLEARANCE_DIR = HERE

OID_SECURITY_LABEL = bytes.fromhex("2a864886f70d010910 0202".replace(" ", ""))
OID_SUBJECT_DIRECTORY_ATTRIBUTES = bytes.fromhex("551d09")
OID_CLEARANCE_CONSTRAINTS = bytes.fromhex("2b06010505070115")
OID_AT_CLEARANCE = bytes.fromhex("550437")


def tlv(data, pos):
    """(tag, header_len, length) of the TLV at pos, or None."""
    if pos + 2 > len(data):
        return None
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        return None
    first = data[pos + 1]
    if first < 0x80:
        return tag, 2, first
    n = first & 0x7F
    if n == 0 or n > 4 or pos + 2 + n > len(data):
        return None
    return tag, 2 + n, int.from_bytes(data[pos + 2 : pos + 2 + n], "big")


def children(data):
    """Split data into complete TLVs, or None if it is not a sequence of TLVs."""
    out, pos = [], 0
    while pos < len(data):
        t = tlv(data, pos)
        if t is None:
            return None
        tag, header, length = t
        end = pos + header + length
        if end > len(data):
            return None
        out.append((tag, data[pos:end], data[pos + header : end]))
        pos = end
    return out


def walk(encoded, visit):
    kids = children(encoded)
    if kids is None:
        return
    for tag, whole, content in kids:
        visit(tag, whole, content)
        if tag & 0x20 or tag == 0x04:
            walk(content, visit)


def pem_blocks(test_file):
    text = test_file.read_text()
    return {
        name: base64.b64decode("".join(body.split()))
        for name, body in re.findall(r'(\w+) = """\\\n(.*?)"""', text, re.S)
    }


def write(path, data):
    path.write_bytes(data)
    print(f"{path.relative_to(HERE.parent.parent.parent)}: {len(data)} bytes")


def pem(der):
    body = base64.b64encode(der).decode()
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n".encode()


def attribute_values(content, oid):
    """Values of SEQUENCE { OID oid, SET { v... } } given the SEQUENCE content."""
    kids = children(content)
    if kids and len(kids) == 2 and kids[0][0] == 0x06 and kids[0][2] == oid and kids[1][0] == 0x31:
        return [whole for _, whole, _ in children(kids[1][2])]
    return None


def extension_value(content, oid):
    """The extnValue of SEQUENCE { OID oid, [BOOLEAN], OCTET STRING } given its content."""
    kids = children(content)
    if kids and kids[0][0] == 0x06 and kids[0][2] == oid and kids[-1][0] == 0x04:
        return kids[-1][2]
    return None


def main(tests):
    tests = pathlib.Path(tests)
    found = {}

    # RFC 3114: the signed attribute id-aa-securityLabel of a SignedData.
    message = pem_blocks(tests / "test_rfc3114.py")["pem_text"]

    def in_3114(tag, whole, content):
        if tag == 0x30:
            values = attribute_values(content, OID_SECURITY_LABEL)
            if values:
                found["label"] = values[0]

    walk(message, in_3114)
    write(ESS_DIR / "rfc3114-whirlpool-label.der", found["label"])

    # RFC 5755: a public-key certificate with a Clearance in subjectDirectoryAttributes, and an
    # attribute certificate with a clearance attribute.
    blocks = pem_blocks(tests / "test_rfc5755.py")
    certificate = blocks["cert_pem_text"]
    write(CLEARANCE_DIR / "rfc5755-cert-whirlpool.der", certificate)
    write(CLEARANCE_DIR / "rfc5755-cert-whirlpool.pem", pem(certificate))

    def in_5755_cert(tag, whole, content):
        if tag == 0x30:
            value = extension_value(content, OID_SUBJECT_DIRECTORY_ATTRIBUTES)
            if value is not None:
                found["sda"] = value

    walk(certificate, in_5755_cert)
    write(CLEARANCE_DIR / "rfc5755-cert-whirlpool-subject-directory-attributes.der", found["sda"])
    for _, whole, content in children(children(found["sda"])[0][2]):
        if attribute_values(content, OID_AT_CLEARANCE):
            write(CLEARANCE_DIR / "rfc5755-cert-whirlpool-clearance-attribute.der", whole)

    def in_5755_ac(tag, whole, content):
        if tag == 0x30 and attribute_values(content, OID_AT_CLEARANCE):
            found["ac-attribute"] = whole

    walk(blocks["pem_text"], in_5755_ac)
    if "ac-attribute" in found:
        write(CLEARANCE_DIR / "rfc5755-ac-clearance-attribute.der", found["ac-attribute"])

    # RFC 5913: a CA certificate with the clearanceConstraints extension
    # (SEQUENCE SIZE (1..MAX) OF Clearance).
    certificate = pem_blocks(tests / "test_rfc5913.py")["cert_pem_text"]

    def in_5913(tag, whole, content):
        if tag == 0x30:
            value = extension_value(content, OID_CLEARANCE_CONSTRAINTS)
            if value is not None:
                found["constraints"] = value

    walk(certificate, in_5913)
    constraints = children(found["constraints"])[0][2]
    for i, (_, whole, _) in enumerate(children(constraints)):
        write(CLEARANCE_DIR / f"rfc5913-clearance-constraint-{i}.der", whole)


if __name__ == "__main__":
    main(sys.argv[1])
