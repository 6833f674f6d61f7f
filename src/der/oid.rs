//! OBJECT IDENTIFIER (X.680 §32; DER content octets per X.690 §8.19), borrowed and owned.
//!
//! Both forms hold the DER **content octets** (no tag or length): the first subidentifier is
//! `40 × arc₀ + arc₁`, each subidentifier is base-128, most significant group first, with the
//! continuation bit set on all but its last octet, and no leading `0x80` octet. Because that
//! encoding is unique, two OIDs are equal exactly when their content octets are; hashing and
//! equality work on the octets and agree between [`Oid`] and [`OidRef`].
//!
//! Arcs are unbounded integers (the UUID arc `2.25.<128-bit>` needs 128 bits, and `2.X` adds 80
//! to X): the dotted conversions work on base-128 digit strings, never on a fixed-width integer,
//! and are bounded by [`MAX_OID_BYTES`].
//!
//! ```
//! use crossguard::der::{Oid, OidRef};
//! let uuid = Oid::from_dotted("2.25.126012349812034871230498712304987123")?;
//! assert_eq!(uuid.to_string(), "2.25.126012349812034871230498712304987123");
//! let borrowed = OidRef::from_der_content(uuid.content())?;
//! assert_eq!(borrowed, uuid);
//! assert!(Oid::from_dotted("1.2.840.113549")? < Oid::from_dotted("1.2.840.113549.1")?);
//! assert!(Oid::from_dotted("1.40").is_err());
//! # Ok::<(), crossguard::der::DerError>(())
//! ```

use core::cmp::Ordering;
use core::fmt;

use super::error::{DerError, DerErrorKind, DottedOidProblem, OidProblem};
use crate::limits::MAX_OID_BYTES;

/// A borrowed object identifier: validated DER content octets.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OidRef<'a> {
    content: &'a [u8],
}

/// An owned object identifier: validated DER content octets.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Oid {
    content: Box<[u8]>,
}

impl<'a> OidRef<'a> {
    /// Validates DER content octets: non-empty, at most [`MAX_OID_BYTES`], no subidentifier
    /// with a leading `0x80` octet, the last octet without the continuation bit.
    ///
    /// Errors carry offsets relative to `content`; the DER reader shifts them.
    pub fn from_der_content(content: &'a [u8]) -> Result<Self, DerError> {
        validate_content(content)?;
        Ok(Self { content })
    }

    /// Content octets known to be valid at compile time (the constants of this crate; a unit
    /// test checks each against its dotted form).
    pub(crate) const fn from_static_content(content: &'static [u8]) -> OidRef<'static> {
        OidRef { content }
    }

    /// The DER content octets.
    pub fn content(&self) -> &'a [u8] {
        self.content
    }

    /// An owned copy.
    pub fn to_oid(&self) -> Oid {
        Oid {
            content: self.content.into(),
        }
    }

    /// Whether this OID lies strictly below `arc` (`1.2.3.4` is under `1.2.3`, `1.2.3` is
    /// not under itself).
    pub fn is_under(&self, arc: OidRef<'_>) -> bool {
        // Valid content ends each subidentifier with an octet below 0x80, so a byte prefix that
        // is itself valid content ends on a subidentifier boundary.
        self.content.len() > arc.content.len() && self.content.starts_with(arc.content)
    }

    /// The last arc, if it fits in a `u32` and is not part of the first subidentifier.
    pub fn last_arc_u32(&self) -> Option<u32> {
        let mut subidentifiers = Subidentifiers(self.content);
        let _first = subidentifiers.next()?;
        let last = subidentifiers.last()?;
        let mut value: u32 = 0;
        for &b in last {
            value = value.checked_mul(128)?.checked_add(u32::from(b & 0x7f))?;
        }
        Some(value)
    }
}

impl Oid {
    /// Parses the dotted form (`2.5.4.55`): at least two arcs of decimal digits without
    /// leading zeros, the first 0, 1 or 2, the second at most 39 under 0 and 1, the whole at
    /// most [`MAX_OID_BYTES`] once encoded. Errors carry the byte offset in `dotted`.
    pub fn from_dotted(dotted: &str) -> Result<Self, DerError> {
        encode_dotted(dotted).map(|content| Self {
            content: content.into_boxed_slice(),
        })
    }

    /// Validates DER content octets (see [`OidRef::from_der_content`]) and copies them.
    pub fn from_der_content(content: &[u8]) -> Result<Self, DerError> {
        OidRef::from_der_content(content).map(|o| o.to_oid())
    }

    /// The borrowed form.
    pub fn as_oid_ref(&self) -> OidRef<'_> {
        OidRef {
            content: &self.content,
        }
    }

    /// The DER content octets.
    pub fn content(&self) -> &[u8] {
        &self.content
    }
}

impl<'a> From<OidRef<'a>> for Oid {
    fn from(o: OidRef<'a>) -> Self {
        o.to_oid()
    }
}

impl<'a> PartialEq<OidRef<'a>> for Oid {
    fn eq(&self, other: &OidRef<'a>) -> bool {
        *self.content == *other.content
    }
}

impl PartialEq<Oid> for OidRef<'_> {
    fn eq(&self, other: &Oid) -> bool {
        *self.content == *other.content
    }
}

/// Arc order: `1.2 < 1.2.3 < 1.3 < 1.10 < 2.0 < 2.100`.
impl Ord for OidRef<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_content(self.content, other.content)
    }
}

impl PartialOrd for OidRef<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Arc order, as for [`OidRef`].
impl Ord for Oid {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_content(&self.content, &other.content)
    }
}

impl PartialOrd for Oid {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for OidRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_dotted(self.content, f)
    }
}

impl fmt::Debug for OidRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OidRef({self})")
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_dotted(&self.content, f)
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

impl core::str::FromStr for Oid {
    type Err = DerError;
    fn from_str(s: &str) -> Result<Self, DerError> {
        Self::from_dotted(s)
    }
}

// ---------------------------------------------------------------------------------------------

fn validate_content(content: &[u8]) -> Result<(), DerError> {
    let invalid = |problem, offset| DerError::new(DerErrorKind::InvalidOid { problem }, offset);
    if content.is_empty() {
        return Err(invalid(OidProblem::Empty, 0));
    }
    if content.len() > MAX_OID_BYTES {
        return Err(DerError::new(
            DerErrorKind::OidTooLong {
                limit: MAX_OID_BYTES,
            },
            0,
        ));
    }
    let mut start_of_subidentifier = true;
    for (i, &b) in content.iter().enumerate() {
        if start_of_subidentifier && b == 0x80 {
            return Err(invalid(OidProblem::NonMinimalSubidentifier, i));
        }
        start_of_subidentifier = b & 0x80 == 0;
    }
    if !start_of_subidentifier {
        return Err(invalid(
            OidProblem::Truncated,
            content.len().saturating_sub(1),
        ));
    }
    Ok(())
}

/// The subidentifiers of valid content octets, each with its continuation bits still set.
struct Subidentifiers<'a>(&'a [u8]);

impl<'a> Iterator for Subidentifiers<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.0.is_empty() {
            return None;
        }
        let end = self
            .0
            .iter()
            .position(|b| b & 0x80 == 0)
            .map_or(self.0.len(), |p| p.saturating_add(1));
        let (head, tail) = self.0.split_at_checked(end)?;
        self.0 = tail;
        Some(head)
    }
}

/// Minimal base-128 encodings compare numerically by (length, bytes); an OID compares as the
/// sequence of its subidentifiers, and the first subidentifier orders (arc₀, arc₁) correctly
/// because arc₁ < 40 under arcs 0 and 1.
fn compare_content(a: &[u8], b: &[u8]) -> Ordering {
    let mut left = Subidentifiers(a);
    let mut right = Subidentifiers(b);
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// A non-negative integer as base-128 digits, least significant first (each below 128).
#[derive(Default)]
struct Base128(Vec<u8>);

impl Base128 {
    /// `self = self × mul + add`, with `mul` and `add` below 128.
    #[expect(
        clippy::arithmetic_side_effects,
        reason = "digit < 128, mul ≤ 127, carry < 256: every intermediate is below 2^15"
    )]
    fn mul_add(&mut self, mul: u8, add: u8) {
        let mut carry = u32::from(add);
        for digit in &mut self.0 {
            let v = u32::from(*digit) * u32::from(mul) + carry;
            *digit = low7(v);
            carry = v >> 7;
        }
        while carry > 0 {
            self.0.push(low7(carry));
            carry >>= 7;
        }
    }

    /// `self = self / divisor`, returning the remainder; `divisor` in 1..128.
    #[expect(
        clippy::arithmetic_side_effects,
        reason = "divisor is non-zero; remainder < divisor ≤ 127 so remainder × 128 + digit < 2^14"
    )]
    fn div_rem(&mut self, divisor: u8) -> u8 {
        let divisor = u32::from(divisor.max(1));
        let mut remainder = 0u32;
        for digit in self.0.iter_mut().rev() {
            let v = remainder * 128 + u32::from(*digit);
            *digit = low7(v / divisor);
            remainder = v % divisor;
        }
        self.trim();
        low7(remainder)
    }

    /// `self = self - sub` for `sub` below 128 and `self ≥ sub`.
    #[expect(
        clippy::arithmetic_side_effects,
        reason = "borrow arithmetic in i32 on digits below 128; the caller guarantees self ≥ sub"
    )]
    fn sub_small(&mut self, sub: u8) {
        let mut borrow = i32::from(sub);
        for digit in &mut self.0 {
            if borrow == 0 {
                break;
            }
            let mut v = i32::from(*digit) - borrow;
            borrow = 0;
            if v < 0 {
                v += 128;
                borrow = 1;
            }
            *digit = u8::try_from(v).unwrap_or(0);
        }
        self.trim();
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.iter().all(|&d| d == 0)
    }

    /// Compares with a value below 128.
    fn cmp_small(&self, small: u8) -> Ordering {
        match self.0.iter().rposition(|&d| d != 0) {
            None => 0.cmp(&small),
            Some(0) => self.0.first().copied().unwrap_or(0).cmp(&small),
            Some(_) => Ordering::Greater,
        }
    }

    /// Appends the DER subidentifier (most significant group first, continuation bits set).
    fn write_subidentifier(&self, out: &mut Vec<u8>) {
        let significant = self
            .0
            .iter()
            .rposition(|&d| d != 0)
            .map_or(0, |p| p.saturating_add(1));
        if significant == 0 {
            out.push(0);
            return;
        }
        let digits = self.0.get(..significant).unwrap_or_default();
        for (i, &d) in digits.iter().enumerate().rev() {
            out.push(if i == 0 { d } else { d | 0x80 });
        }
    }

    fn from_subidentifier(bytes: &[u8]) -> Self {
        Self(bytes.iter().rev().map(|b| b & 0x7f).collect())
    }

    fn write_decimal(mut self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        let mut digits = Vec::new();
        while !self.is_zero() {
            digits.push(char::from(b'0'.saturating_add(self.div_rem(10))));
        }
        digits
            .iter()
            .rev()
            .try_for_each(|&c| fmt::Write::write_char(f, c))
    }
}

fn low7(v: u32) -> u8 {
    u8::try_from(v & 0x7f).unwrap_or(0)
}

fn encode_dotted(dotted: &str) -> Result<Vec<u8>, DerError> {
    let syntax =
        |problem, offset| DerError::new(DerErrorKind::InvalidDottedOid { problem }, offset);
    let too_long = |offset| {
        DerError::new(
            DerErrorKind::OidTooLong {
                limit: MAX_OID_BYTES,
            },
            offset,
        )
    };
    let mut out = Vec::new();
    let mut first_arc: Option<u8> = None;
    let mut arcs = 0usize;
    let mut offset = 0usize;
    for arc in dotted.split('.') {
        if arc.is_empty() {
            return Err(syntax(DottedOidProblem::EmptyArc, offset));
        }
        if let Some(i) = arc.bytes().position(|b| !b.is_ascii_digit()) {
            return Err(syntax(
                DottedOidProblem::NotADigit,
                offset.saturating_add(i),
            ));
        }
        if arc.len() > 1 && arc.starts_with('0') {
            return Err(syntax(DottedOidProblem::LeadingZero, offset));
        }
        let mut value = Base128::default();
        for b in arc.bytes() {
            value.mul_add(10, b.saturating_sub(b'0'));
            // A value needing more base-128 digits than the limit allows octets can never fit.
            if value.0.len() > MAX_OID_BYTES {
                return Err(too_long(offset));
            }
        }
        match (arcs, first_arc) {
            (0, _) => {
                if value.cmp_small(2) == Ordering::Greater {
                    return Err(syntax(DottedOidProblem::FirstArcAboveTwo, offset));
                }
                first_arc = Some(value.0.first().copied().unwrap_or(0));
            }
            (1, Some(first)) => {
                if first < 2 && value.cmp_small(39) == Ordering::Greater {
                    return Err(syntax(DottedOidProblem::SecondArcAbove39, offset));
                }
                // 40 × first + second; first ≤ 2 so the addend is at most 80.
                value.mul_add(1, first.saturating_mul(40));
                value.write_subidentifier(&mut out);
            }
            _ => value.write_subidentifier(&mut out),
        }
        if out.len() > MAX_OID_BYTES {
            return Err(too_long(offset));
        }
        arcs = arcs.saturating_add(1);
        offset = offset.saturating_add(arc.len()).saturating_add(1);
    }
    if arcs < 2 {
        return Err(syntax(DottedOidProblem::TooFewArcs, 0));
    }
    Ok(out)
}

fn write_dotted(content: &[u8], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut subidentifiers = Subidentifiers(content);
    let Some(first) = subidentifiers.next() else {
        return Ok(());
    };
    let mut first = Base128::from_subidentifier(first);
    let arc0 = if first.cmp_small(40) == Ordering::Less {
        0
    } else if first.cmp_small(80) == Ordering::Less {
        first.sub_small(40);
        1
    } else {
        first.sub_small(80);
        2
    };
    write!(f, "{arc0}.")?;
    first.write_decimal(f)?;
    for sub in subidentifiers {
        f.write_str(".")?;
        Base128::from_subidentifier(sub).write_decimal(f)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dotted(s: &str) -> Oid {
        Oid::from_dotted(s).unwrap()
    }

    #[test]
    fn known_encodings() {
        for (text, der) in [
            ("1.3.26.1.3.1", &[0x2b, 0x1a, 0x01, 0x03, 0x01][..]),
            ("2.5.4.55", &[0x55, 0x04, 0x37]),
            ("2.5.1.5.55", &[0x55, 0x01, 0x05, 0x37]),
            (
                "2.16.840.1.101.2.1.8.3.1",
                &[0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03, 0x01],
            ),
            (
                "1.2.840.113549.1.9.16.7.3",
                &[
                    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x07, 0x03,
                ],
            ),
            ("0.0", &[0x00]),
            ("1.1", &[0x29]),
            ("2.39", &[0x77]),
            ("2.47", &[0x7f]),
            ("2.48", &[0x81, 0x00]),
            ("2.999.3", &[0x88, 0x37, 0x03]),
        ] {
            let oid = dotted(text);
            assert_eq!(oid.content(), der, "{text}");
            assert_eq!(oid.to_string(), text);
            assert_eq!(OidRef::from_der_content(der).unwrap().to_string(), text);
        }
    }

    #[test]
    fn uuid_arc_of_128_bits_round_trips() {
        let text = "2.25.126012349812034871230498712304987123";
        let oid = dotted(text);
        assert_eq!(oid.to_string(), text);
        // Largest UUID: 2^128 - 1, plus 80 in the first subidentifier, needs 19 octets.
        let max = format!("2.25.{}", u128::MAX);
        let big = dotted(&max);
        assert_eq!(big.to_string(), max);
        // 2.X with X = 2^128 - 1 overflows any u128 implementation of 80 + X.
        let huge = format!("2.{}", u128::MAX);
        assert_eq!(dotted(&huge).to_string(), huge);
        let child = dotted(&format!("{text}.2"));
        assert!(child.as_oid_ref().is_under(oid.as_oid_ref()));
        assert_eq!(child.as_oid_ref().last_arc_u32(), Some(2));
    }

    #[test]
    fn dotted_syntax_errors_name_problem_and_offset() {
        for (text, problem, offset) in [
            ("", DottedOidProblem::EmptyArc, 0),
            ("1", DottedOidProblem::TooFewArcs, 0),
            ("1..2", DottedOidProblem::EmptyArc, 2),
            ("1.2.", DottedOidProblem::EmptyArc, 4),
            ("1.2a", DottedOidProblem::NotADigit, 3),
            ("1.02", DottedOidProblem::LeadingZero, 2),
            ("3.1", DottedOidProblem::FirstArcAboveTwo, 0),
            ("1.40", DottedOidProblem::SecondArcAbove39, 2),
            ("0.40", DottedOidProblem::SecondArcAbove39, 2),
            (" 1.2", DottedOidProblem::NotADigit, 0),
        ] {
            let e = Oid::from_dotted(text).unwrap_err();
            assert_eq!(
                e.kind(),
                &DerErrorKind::InvalidDottedOid { problem },
                "{text:?}"
            );
            assert_eq!(e.offset(), offset, "{text:?}");
        }
        assert!(Oid::from_dotted("2.40").is_ok());
    }

    #[test]
    fn dotted_limit_is_checked_while_parsing() {
        let long = format!("1.2.{}", "9".repeat(10_000));
        assert_eq!(
            Oid::from_dotted(&long).unwrap_err().kind(),
            &DerErrorKind::OidTooLong {
                limit: MAX_OID_BYTES
            }
        );
        let many = format!("1.2{}", ".1".repeat(MAX_OID_BYTES));
        assert!(matches!(
            Oid::from_dotted(&many).unwrap_err().kind(),
            DerErrorKind::OidTooLong { .. }
        ));
        let fits = format!("1.2{}", ".1".repeat(MAX_OID_BYTES - 1));
        assert_eq!(dotted(&fits).content().len(), MAX_OID_BYTES);
    }

    #[test]
    fn content_validation() {
        let problem = |c: &[u8]| match OidRef::from_der_content(c).unwrap_err().kind() {
            DerErrorKind::InvalidOid { problem } => *problem,
            other => panic!("{other:?}"),
        };
        assert_eq!(problem(&[]), OidProblem::Empty);
        assert_eq!(problem(&[0x2b, 0x86]), OidProblem::Truncated);
        assert_eq!(problem(&[0x80, 0x01]), OidProblem::NonMinimalSubidentifier);
        assert_eq!(
            problem(&[0x2b, 0x80, 0x01]),
            OidProblem::NonMinimalSubidentifier
        );
        assert!(OidRef::from_der_content(&[0x2b, 0x00, 0x81, 0x00]).is_ok());
    }

    #[test]
    fn equality_and_hash_agree_between_forms() {
        use std::collections::hash_map::DefaultHasher;
        use std::hash::{Hash, Hasher};
        let owned = dotted("1.3.26.1.4.2");
        let borrowed = OidRef::from_der_content(&[0x2b, 0x1a, 0x01, 0x04, 0x02]).unwrap();
        assert_eq!(owned, borrowed);
        assert_eq!(borrowed, owned);
        let hash = |h: &dyn Fn(&mut DefaultHasher)| {
            let mut s = DefaultHasher::new();
            h(&mut s);
            s.finish()
        };
        assert_eq!(
            hash(&|s| owned.hash(s)),
            hash(&|s| borrowed.hash(s)),
            "Oid and OidRef must hash alike"
        );
        let mut set = std::collections::HashSet::new();
        set.insert(owned.clone());
        assert!(set.contains(&borrowed.to_oid()));
        assert_ne!(owned, dotted("1.3.26.1.4.3"));
    }

    #[test]
    fn order_is_numeric_by_arc() {
        let sorted = [
            "0.39", "1.0", "1.2", "1.2.3", "1.3", "1.10", "1.39", "2.0", "2.47", "2.48", "2.100",
            "2.100.0",
        ];
        for pair in sorted.windows(2) {
            assert!(dotted(pair[0]) < dotted(pair[1]), "{pair:?}");
            let (a, b) = (dotted(pair[0]), dotted(pair[1]));
            assert!(a.as_oid_ref() < b.as_oid_ref());
        }
    }

    #[test]
    fn is_under_needs_a_strict_arc_prefix() {
        let arc = dotted("2.16.840.1.101.2.1.8.3");
        assert!(dotted("2.16.840.1.101.2.1.8.3.4")
            .as_oid_ref()
            .is_under(arc.as_oid_ref()));
        assert!(!arc.as_oid_ref().is_under(arc.as_oid_ref()));
        assert!(!dotted("2.16.840.1.101.2.1.8.30")
            .as_oid_ref()
            .is_under(arc.as_oid_ref()));
        assert_eq!(dotted("1.2").as_oid_ref().last_arc_u32(), None);
    }
}
