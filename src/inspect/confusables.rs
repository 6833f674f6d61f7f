//! The character tables of the [`words`](super) normalisation: default-ignorable code points,
//! confusable letters, and the per-character fold built from them.
//!
//! **Default ignorable.** The `Default_Ignorable_Code_Point` property of Unicode's
//! `DerivedCoreProperties.txt` (unchanged since Unicode 6.1, including the reserved code points
//! it covers): soft hyphen, combining grapheme joiner, Arabic letter mark, Hangul fillers, the
//! Khmer inherent vowels, Mongolian free variation selectors and vowel separator, zero-width
//! space and joiners, the directional marks, embeddings, overrides and isolates, word joiner and
//! the invisible operators, variation selectors, the byte order mark, shorthand format
//! controls, musical symbol format controls and the tag characters.
//!
//! **Confusables.** Letters of other scripts that Unicode's `confusables.txt` (UTS #39) gives a
//! single Latin letter as prototype, mapped to that letter in lower case. Capitals are mapped
//! by their own shape (Greek capital `Ν` looks like `N`, its small `ν` like `v`). Four entries
//! go one step beyond the file, which maps them to a non-ASCII Latin letter that itself passes
//! for an ASCII one in running text: Greek `ε` (to `ɛ`, here `e`), `κ` (`ĸ`, here `k`), `τ`
//! (`ᴛ`, here `t`), `υ` (`ʋ`, here `u`), and those Latin letters `ɛ` and `ĸ` themselves. No
//! ASCII character and no digit is a target of anything but itself: `0`/`o` and `1`/`l` stay
//! apart.
//!
//! Added after the review of 2026-11-30, which read each of them as its letter (`NATØ`,
//! `ɴᴀᴛᴏ ꜱᴇᴄʀᴇᴛ`, `ꓠꓮꓔꓳ`, `🅽🅰🆃🅾`), letters no decomposition turns into a Latin one:
//! - the Latin letters with a stroke (`Ø ø Đ đ Ħ ħ Ł ł Ŧ ŧ Ɨ ɨ Ƶ ƶ Ǥ ǥ`…; the file's prototype
//!   is the letter with a combining stroke, which the fold, dropping marks, makes the letter);
//! - the Latin small capitals (`ᴀ ʙ ᴅ ᴇ ɢ ʜ ɪ ᴊ ᴋ ʟ ᴍ ɴ ᴘ ʀ ᴛ ᴜ ʏ ꜰ`), beyond the file;
//! - the Lisu letters shaped as Latin capitals (`ꓮ ꓐ ꓚ ꓓ ꓰ ꓝ`…);
//! - the negative circled and negative squared Latin capitals (`🅐`…`🅩`, `🅰`…`🆉`).
//!
//! Cherokee and Coptic are still outside the table (`docs/words.md`).

/// Ranges of `Default_Ignorable_Code_Point`, sorted.
const DEFAULT_IGNORABLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
];

/// Confusable letters and their Latin look-alike (lower case), sorted by code point.
const CONFUSABLES: &[(char, char)] = &[
    ('\u{00D8}', 'o'), // LATIN CAPITAL LETTER O WITH STROKE (beyond confusables.txt: stroke)
    ('\u{00F8}', 'o'), // LATIN SMALL LETTER O WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0110}', 'd'), // LATIN CAPITAL LETTER D WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0111}', 'd'), // LATIN SMALL LETTER D WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0126}', 'h'), // LATIN CAPITAL LETTER H WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0127}', 'h'), // LATIN SMALL LETTER H WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0131}', 'i'), // LATIN SMALL LETTER DOTLESS I
    ('\u{0138}', 'k'), // LATIN SMALL LETTER KRA (beyond confusables.txt, see above)
    ('\u{0141}', 'l'), // LATIN CAPITAL LETTER L WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0142}', 'l'), // LATIN SMALL LETTER L WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0166}', 't'), // LATIN CAPITAL LETTER T WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0167}', 't'), // LATIN SMALL LETTER T WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0180}', 'b'), // LATIN SMALL LETTER B WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0197}', 'i'), // LATIN CAPITAL LETTER I WITH STROKE (beyond confusables.txt: stroke)
    ('\u{01B5}', 'z'), // LATIN CAPITAL LETTER Z WITH STROKE (beyond confusables.txt: stroke)
    ('\u{01B6}', 'z'), // LATIN SMALL LETTER Z WITH STROKE (beyond confusables.txt: stroke)
    ('\u{01C0}', 'l'), // LATIN LETTER DENTAL CLICK
    ('\u{01E4}', 'g'), // LATIN CAPITAL LETTER G WITH STROKE (beyond confusables.txt: stroke)
    ('\u{01E5}', 'g'), // LATIN SMALL LETTER G WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0237}', 'j'), // LATIN SMALL LETTER DOTLESS J
    ('\u{023A}', 'a'), // LATIN CAPITAL LETTER A WITH STROKE (beyond confusables.txt: stroke)
    ('\u{023B}', 'c'), // LATIN CAPITAL LETTER C WITH STROKE (beyond confusables.txt: stroke)
    ('\u{023C}', 'c'), // LATIN SMALL LETTER C WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0243}', 'b'), // LATIN CAPITAL LETTER B WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0246}', 'e'), // LATIN CAPITAL LETTER E WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0247}', 'e'), // LATIN SMALL LETTER E WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0248}', 'j'), // LATIN CAPITAL LETTER J WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0249}', 'j'), // LATIN SMALL LETTER J WITH STROKE (beyond confusables.txt: stroke)
    ('\u{024C}', 'r'), // LATIN CAPITAL LETTER R WITH STROKE (beyond confusables.txt: stroke)
    ('\u{024D}', 'r'), // LATIN SMALL LETTER R WITH STROKE (beyond confusables.txt: stroke)
    ('\u{024E}', 'y'), // LATIN CAPITAL LETTER Y WITH STROKE (beyond confusables.txt: stroke)
    ('\u{024F}', 'y'), // LATIN SMALL LETTER Y WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0251}', 'a'), // LATIN SMALL LETTER ALPHA
    ('\u{025B}', 'e'), // LATIN SMALL LETTER OPEN E (beyond confusables.txt)
    ('\u{0261}', 'g'), // LATIN SMALL LETTER SCRIPT G
    ('\u{0262}', 'g'), // LATIN LETTER SMALL CAPITAL G (beyond confusables.txt)
    ('\u{0268}', 'i'), // LATIN SMALL LETTER I WITH STROKE (beyond confusables.txt: stroke)
    ('\u{0269}', 'i'), // LATIN SMALL LETTER IOTA
    ('\u{026A}', 'i'), // LATIN LETTER SMALL CAPITAL I (beyond confusables.txt)
    ('\u{0274}', 'n'), // LATIN LETTER SMALL CAPITAL N (beyond confusables.txt)
    ('\u{0280}', 'r'), // LATIN LETTER SMALL CAPITAL R (beyond confusables.txt)
    ('\u{028F}', 'y'), // LATIN LETTER SMALL CAPITAL Y (beyond confusables.txt)
    ('\u{0299}', 'b'), // LATIN LETTER SMALL CAPITAL B (beyond confusables.txt)
    ('\u{029C}', 'h'), // LATIN LETTER SMALL CAPITAL H (beyond confusables.txt)
    ('\u{029F}', 'l'), // LATIN LETTER SMALL CAPITAL L (beyond confusables.txt)
    ('\u{037F}', 'j'), // GREEK CAPITAL LETTER YOT
    ('\u{0391}', 'a'), // GREEK CAPITAL LETTER ALPHA
    ('\u{0392}', 'b'), // GREEK CAPITAL LETTER BETA
    ('\u{0395}', 'e'), // GREEK CAPITAL LETTER EPSILON
    ('\u{0396}', 'z'), // GREEK CAPITAL LETTER ZETA
    ('\u{0397}', 'h'), // GREEK CAPITAL LETTER ETA
    ('\u{0399}', 'i'), // GREEK CAPITAL LETTER IOTA
    ('\u{039A}', 'k'), // GREEK CAPITAL LETTER KAPPA
    ('\u{039C}', 'm'), // GREEK CAPITAL LETTER MU
    ('\u{039D}', 'n'), // GREEK CAPITAL LETTER NU
    ('\u{039F}', 'o'), // GREEK CAPITAL LETTER OMICRON
    ('\u{03A1}', 'p'), // GREEK CAPITAL LETTER RHO
    ('\u{03A4}', 't'), // GREEK CAPITAL LETTER TAU
    ('\u{03A5}', 'y'), // GREEK CAPITAL LETTER UPSILON
    ('\u{03A7}', 'x'), // GREEK CAPITAL LETTER CHI
    ('\u{03B1}', 'a'), // GREEK SMALL LETTER ALPHA
    ('\u{03B3}', 'y'), // GREEK SMALL LETTER GAMMA
    ('\u{03B5}', 'e'), // GREEK SMALL LETTER EPSILON (beyond confusables.txt)
    ('\u{03B9}', 'i'), // GREEK SMALL LETTER IOTA
    ('\u{03BA}', 'k'), // GREEK SMALL LETTER KAPPA (beyond confusables.txt)
    ('\u{03BD}', 'v'), // GREEK SMALL LETTER NU
    ('\u{03BF}', 'o'), // GREEK SMALL LETTER OMICRON
    ('\u{03C1}', 'p'), // GREEK SMALL LETTER RHO
    ('\u{03C4}', 't'), // GREEK SMALL LETTER TAU (beyond confusables.txt)
    ('\u{03C5}', 'u'), // GREEK SMALL LETTER UPSILON (beyond confusables.txt)
    ('\u{03C7}', 'x'), // GREEK SMALL LETTER CHI
    ('\u{03F2}', 'c'), // GREEK LUNATE SIGMA SYMBOL (looked up before NFKD makes it ς)
    ('\u{03F3}', 'j'), // GREEK LETTER YOT
    ('\u{03F9}', 'c'), // GREEK CAPITAL LUNATE SIGMA SYMBOL (likewise, before Σ)
    ('\u{0405}', 's'), // CYRILLIC CAPITAL LETTER DZE
    ('\u{0406}', 'i'), // CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I
    ('\u{0408}', 'j'), // CYRILLIC CAPITAL LETTER JE
    ('\u{0410}', 'a'), // CYRILLIC CAPITAL LETTER A
    ('\u{0412}', 'b'), // CYRILLIC CAPITAL LETTER VE
    ('\u{0415}', 'e'), // CYRILLIC CAPITAL LETTER IE
    ('\u{041A}', 'k'), // CYRILLIC CAPITAL LETTER KA
    ('\u{041C}', 'm'), // CYRILLIC CAPITAL LETTER EM
    ('\u{041D}', 'h'), // CYRILLIC CAPITAL LETTER EN
    ('\u{041E}', 'o'), // CYRILLIC CAPITAL LETTER O
    ('\u{0420}', 'p'), // CYRILLIC CAPITAL LETTER ER
    ('\u{0421}', 'c'), // CYRILLIC CAPITAL LETTER ES
    ('\u{0422}', 't'), // CYRILLIC CAPITAL LETTER TE
    ('\u{0425}', 'x'), // CYRILLIC CAPITAL LETTER HA
    ('\u{0430}', 'a'), // CYRILLIC SMALL LETTER A
    ('\u{0433}', 'r'), // CYRILLIC SMALL LETTER GHE
    ('\u{0435}', 'e'), // CYRILLIC SMALL LETTER IE
    ('\u{043E}', 'o'), // CYRILLIC SMALL LETTER O
    ('\u{0440}', 'p'), // CYRILLIC SMALL LETTER ER
    ('\u{0441}', 'c'), // CYRILLIC SMALL LETTER ES
    ('\u{0443}', 'y'), // CYRILLIC SMALL LETTER U
    ('\u{0445}', 'x'), // CYRILLIC SMALL LETTER HA
    ('\u{0455}', 's'), // CYRILLIC SMALL LETTER DZE
    ('\u{0456}', 'i'), // CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
    ('\u{0458}', 'j'), // CYRILLIC SMALL LETTER JE
    ('\u{0474}', 'v'), // CYRILLIC CAPITAL LETTER IZHITSA
    ('\u{0475}', 'v'), // CYRILLIC SMALL LETTER IZHITSA
    ('\u{04AE}', 'y'), // CYRILLIC CAPITAL LETTER STRAIGHT U
    ('\u{04AF}', 'y'), // CYRILLIC SMALL LETTER STRAIGHT U
    ('\u{04BA}', 'h'), // CYRILLIC CAPITAL LETTER SHHA
    ('\u{04BB}', 'h'), // CYRILLIC SMALL LETTER SHHA
    ('\u{04BD}', 'e'), // CYRILLIC SMALL LETTER ABKHASIAN CHE
    ('\u{04C0}', 'l'), // CYRILLIC LETTER PALOCHKA
    ('\u{04CF}', 'l'), // CYRILLIC SMALL LETTER PALOCHKA
    ('\u{0500}', 'd'), // CYRILLIC CAPITAL LETTER KOMI DE
    ('\u{0501}', 'd'), // CYRILLIC SMALL LETTER KOMI DE
    ('\u{051A}', 'q'), // CYRILLIC CAPITAL LETTER QA
    ('\u{051B}', 'q'), // CYRILLIC SMALL LETTER QA
    ('\u{051C}', 'w'), // CYRILLIC CAPITAL LETTER WE
    ('\u{051D}', 'w'), // CYRILLIC SMALL LETTER WE
    ('\u{054D}', 'u'), // ARMENIAN CAPITAL LETTER SEH
    ('\u{0555}', 'o'), // ARMENIAN CAPITAL LETTER OH
    ('\u{0566}', 'q'), // ARMENIAN SMALL LETTER ZA
    ('\u{0570}', 'h'), // ARMENIAN SMALL LETTER HO
    ('\u{0578}', 'n'), // ARMENIAN SMALL LETTER VO
    ('\u{057D}', 'u'), // ARMENIAN SMALL LETTER SEH
    ('\u{0581}', 'g'), // ARMENIAN SMALL LETTER CO
    ('\u{0585}', 'o'), // ARMENIAN SMALL LETTER OH
    ('\u{1D00}', 'a'), // LATIN LETTER SMALL CAPITAL A (beyond confusables.txt)
    ('\u{1D04}', 'c'), // LATIN LETTER SMALL CAPITAL C
    ('\u{1D05}', 'd'), // LATIN LETTER SMALL CAPITAL D (beyond confusables.txt)
    ('\u{1D07}', 'e'), // LATIN LETTER SMALL CAPITAL E (beyond confusables.txt)
    ('\u{1D0A}', 'j'), // LATIN LETTER SMALL CAPITAL J (beyond confusables.txt)
    ('\u{1D0B}', 'k'), // LATIN LETTER SMALL CAPITAL K (beyond confusables.txt)
    ('\u{1D0D}', 'm'), // LATIN LETTER SMALL CAPITAL M (beyond confusables.txt)
    ('\u{1D0F}', 'o'), // LATIN LETTER SMALL CAPITAL O
    ('\u{1D18}', 'p'), // LATIN LETTER SMALL CAPITAL P (beyond confusables.txt)
    ('\u{1D1B}', 't'), // LATIN LETTER SMALL CAPITAL T (beyond confusables.txt)
    ('\u{1D1C}', 'u'), // LATIN LETTER SMALL CAPITAL U (beyond confusables.txt)
    ('\u{1D20}', 'v'), // LATIN LETTER SMALL CAPITAL V
    ('\u{1D21}', 'w'), // LATIN LETTER SMALL CAPITAL W
    ('\u{1D22}', 'z'), // LATIN LETTER SMALL CAPITAL Z
    ('\u{A4D0}', 'b'), // LISU LETTER BA
    ('\u{A4D1}', 'p'), // LISU LETTER PA
    ('\u{A4D3}', 'd'), // LISU LETTER DA
    ('\u{A4D4}', 't'), // LISU LETTER TA
    ('\u{A4D6}', 'g'), // LISU LETTER GA
    ('\u{A4D7}', 'k'), // LISU LETTER KA
    ('\u{A4D9}', 'j'), // LISU LETTER JA
    ('\u{A4DA}', 'c'), // LISU LETTER CA
    ('\u{A4DC}', 'z'), // LISU LETTER DZA
    ('\u{A4DD}', 'f'), // LISU LETTER TSA
    ('\u{A4DF}', 'm'), // LISU LETTER MA
    ('\u{A4E0}', 'n'), // LISU LETTER NA
    ('\u{A4E1}', 'l'), // LISU LETTER LA
    ('\u{A4E2}', 's'), // LISU LETTER SA
    ('\u{A4E3}', 'r'), // LISU LETTER ZHA
    ('\u{A4E6}', 'v'), // LISU LETTER HA
    ('\u{A4E7}', 'h'), // LISU LETTER XA
    ('\u{A4EA}', 'w'), // LISU LETTER WA
    ('\u{A4EB}', 'x'), // LISU LETTER SHA
    ('\u{A4EC}', 'y'), // LISU LETTER YA
    ('\u{A4EE}', 'a'), // LISU LETTER A
    ('\u{A4F0}', 'e'), // LISU LETTER E
    ('\u{A4F2}', 'i'), // LISU LETTER I
    ('\u{A4F3}', 'o'), // LISU LETTER O
    ('\u{A4F4}', 'u'), // LISU LETTER U
    ('\u{A730}', 'f'), // LATIN LETTER SMALL CAPITAL F (beyond confusables.txt)
    ('\u{A731}', 's'), // LATIN LETTER SMALL CAPITAL S
    ('\u{1F150}', 'a'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER A (no decomposition)
    ('\u{1F151}', 'b'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER B (no decomposition)
    ('\u{1F152}', 'c'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER C (no decomposition)
    ('\u{1F153}', 'd'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER D (no decomposition)
    ('\u{1F154}', 'e'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER E (no decomposition)
    ('\u{1F155}', 'f'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER F (no decomposition)
    ('\u{1F156}', 'g'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER G (no decomposition)
    ('\u{1F157}', 'h'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER H (no decomposition)
    ('\u{1F158}', 'i'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER I (no decomposition)
    ('\u{1F159}', 'j'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER J (no decomposition)
    ('\u{1F15A}', 'k'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER K (no decomposition)
    ('\u{1F15B}', 'l'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER L (no decomposition)
    ('\u{1F15C}', 'm'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER M (no decomposition)
    ('\u{1F15D}', 'n'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER N (no decomposition)
    ('\u{1F15E}', 'o'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER O (no decomposition)
    ('\u{1F15F}', 'p'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER P (no decomposition)
    ('\u{1F160}', 'q'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER Q (no decomposition)
    ('\u{1F161}', 'r'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER R (no decomposition)
    ('\u{1F162}', 's'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER S (no decomposition)
    ('\u{1F163}', 't'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER T (no decomposition)
    ('\u{1F164}', 'u'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER U (no decomposition)
    ('\u{1F165}', 'v'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER V (no decomposition)
    ('\u{1F166}', 'w'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER W (no decomposition)
    ('\u{1F167}', 'x'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER X (no decomposition)
    ('\u{1F168}', 'y'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER Y (no decomposition)
    ('\u{1F169}', 'z'), // NEGATIVE CIRCLED LATIN CAPITAL LETTER Z (no decomposition)
    ('\u{1F170}', 'a'), // NEGATIVE SQUARED LATIN CAPITAL LETTER A (no decomposition)
    ('\u{1F171}', 'b'), // NEGATIVE SQUARED LATIN CAPITAL LETTER B (no decomposition)
    ('\u{1F172}', 'c'), // NEGATIVE SQUARED LATIN CAPITAL LETTER C (no decomposition)
    ('\u{1F173}', 'd'), // NEGATIVE SQUARED LATIN CAPITAL LETTER D (no decomposition)
    ('\u{1F174}', 'e'), // NEGATIVE SQUARED LATIN CAPITAL LETTER E (no decomposition)
    ('\u{1F175}', 'f'), // NEGATIVE SQUARED LATIN CAPITAL LETTER F (no decomposition)
    ('\u{1F176}', 'g'), // NEGATIVE SQUARED LATIN CAPITAL LETTER G (no decomposition)
    ('\u{1F177}', 'h'), // NEGATIVE SQUARED LATIN CAPITAL LETTER H (no decomposition)
    ('\u{1F178}', 'i'), // NEGATIVE SQUARED LATIN CAPITAL LETTER I (no decomposition)
    ('\u{1F179}', 'j'), // NEGATIVE SQUARED LATIN CAPITAL LETTER J (no decomposition)
    ('\u{1F17A}', 'k'), // NEGATIVE SQUARED LATIN CAPITAL LETTER K (no decomposition)
    ('\u{1F17B}', 'l'), // NEGATIVE SQUARED LATIN CAPITAL LETTER L (no decomposition)
    ('\u{1F17C}', 'm'), // NEGATIVE SQUARED LATIN CAPITAL LETTER M (no decomposition)
    ('\u{1F17D}', 'n'), // NEGATIVE SQUARED LATIN CAPITAL LETTER N (no decomposition)
    ('\u{1F17E}', 'o'), // NEGATIVE SQUARED LATIN CAPITAL LETTER O (no decomposition)
    ('\u{1F17F}', 'p'), // NEGATIVE SQUARED LATIN CAPITAL LETTER P (no decomposition)
    ('\u{1F180}', 'q'), // NEGATIVE SQUARED LATIN CAPITAL LETTER Q (no decomposition)
    ('\u{1F181}', 'r'), // NEGATIVE SQUARED LATIN CAPITAL LETTER R (no decomposition)
    ('\u{1F182}', 's'), // NEGATIVE SQUARED LATIN CAPITAL LETTER S (no decomposition)
    ('\u{1F183}', 't'), // NEGATIVE SQUARED LATIN CAPITAL LETTER T (no decomposition)
    ('\u{1F184}', 'u'), // NEGATIVE SQUARED LATIN CAPITAL LETTER U (no decomposition)
    ('\u{1F185}', 'v'), // NEGATIVE SQUARED LATIN CAPITAL LETTER V (no decomposition)
    ('\u{1F186}', 'w'), // NEGATIVE SQUARED LATIN CAPITAL LETTER W (no decomposition)
    ('\u{1F187}', 'x'), // NEGATIVE SQUARED LATIN CAPITAL LETTER X (no decomposition)
    ('\u{1F188}', 'y'), // NEGATIVE SQUARED LATIN CAPITAL LETTER Y (no decomposition)
    ('\u{1F189}', 'z'), // NEGATIVE SQUARED LATIN CAPITAL LETTER Z (no decomposition)
];

/// Whether `c` is a `Default_Ignorable_Code_Point`.
pub(super) fn is_default_ignorable(c: char) -> bool {
    let cp = u32::from(c);
    if cp < 0xAD {
        return false;
    }
    DEFAULT_IGNORABLE
        .binary_search_by(|&(low, high)| {
            if high < cp {
                core::cmp::Ordering::Less
            } else if low > cp {
                core::cmp::Ordering::Greater
            } else {
                core::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The Latin letter `c` looks like, if it is in the table.
pub(super) fn confusable(c: char) -> Option<char> {
    if c < '\u{00D8}' {
        return None;
    }
    CONFUSABLES
        .binary_search_by_key(&c, |&(from, _)| from)
        .ok()
        .and_then(|i| CONFUSABLES.get(i))
        .map(|&(_, to)| to)
}

/// Characters that are not White_Space but are shown as a blank the width of a letter: the
/// Braille blank and the Hangul fillers (the fillers are also default ignorable, so would
/// otherwise vanish and join the words on either side). They fold to a space, so that
/// `NATO\u{2800}SECRET`, which reads `NATO SECRET`, is found as it reads.
fn is_blank_look_alike(c: char) -> bool {
    matches!(
        c,
        '\u{115F}' | '\u{1160}' | '\u{2800}' | '\u{3164}' | '\u{FFA0}'
    )
}

/// Footnote and reference marks that compatibility decomposition would make letters or digits
/// joined to the word before them: the superscript and subscript digits (`¹` is `1`) and the
/// trade mark, service mark, telephone, fax and numero signs (`™` is `TM`), and the
/// circled, parenthesised and full-stop digits (`①` is `1`). They fold to a space, so that
/// `NATO SECRET¹`, which reads `NATO SECRET` and a footnote, is found as it reads (and
/// `N¹O¹F¹O¹R¹N` as a spaced phrase). Superscript letters keep their letter (`ᴺᴬᵀᴼ` reads
/// `NATO`).
fn is_footnote_mark(c: char) -> bool {
    matches!(
        c,
        '\u{00B2}' | '\u{00B3}' | '\u{00B9}' | '\u{2070}' | '\u{2074}'..='\u{2079}'
            | '\u{2080}'..='\u{2089}' | '\u{2116}' | '\u{2120}'..='\u{2122}' | '\u{213B}'
            // Circled, parenthesised and full-stop digits and numbers (not the letters).
            | '\u{2460}'..='\u{249B}' | '\u{24EA}'..='\u{24FF}' | '\u{2776}'..='\u{2793}'
            | '\u{3251}'..='\u{325F}' | '\u{32B1}'..='\u{32BF}' | '\u{1F100}'..='\u{1F10C}'
    )
}

/// Letters and symbols shaped as punctuation, and the punctuation they pass for: modifier
/// letters that are apostrophes, quotation marks and colons (`ʼ ʺ ꞉`), the click letters that
/// are bars and an exclamation mark (`ǀ ǁ ǃ`), the glottal stop's question mark (`ʔ`), and
/// the parentheses of other shapes (`❨ ❩ ⟮ ⟯ ⦅ ⦆ ⸨ ⸩ ﴾ ﴿ 〔 〕`). Letters would join the word
/// beside them (`NATO SECRETʺ` would not end a word) and a look-alike parenthesis would not
/// make a portion mark (`❨CTS❩`); folded to the punctuation, both are found as they read.
fn punctuation_look_alike(c: char) -> Option<char> {
    Some(match c {
        '\u{01C0}' | '\u{01C1}' => '|',
        '\u{01C2}' => '+',
        '\u{01C3}' => '!',
        '\u{0294}' | '\u{02C0}' => '?',
        '\u{02B9}' | '\u{02BB}' | '\u{02BC}' | '\u{02BD}' | '\u{02BE}' | '\u{02BF}'
        | '\u{02C8}' | '\u{02CA}' | '\u{0374}' | '\u{07F4}' | '\u{07F5}' => '\'',
        '\u{02BA}' | '\u{02EE}' => '"',
        '\u{A78B}' | '\u{A78C}' => '\'',
        '\u{02C6}' | '\u{A788}' => '^',
        '\u{1427}' => '.',
        '\u{02CB}' => '`',
        '\u{02D0}' | '\u{A789}' => ':',
        '\u{02D1}' | '\u{A78F}' => '.',
        '\u{A78A}' => '=',
        '\u{0F3A}' | '\u{0F3C}' | '\u{169B}' | '\u{2768}' | '\u{276A}' | '\u{2772}'
        | '\u{27EC}' | '\u{27EE}' | '\u{2985}' | '\u{2987}' | '\u{2997}' | '\u{2E28}'
        | '\u{3014}' | '\u{3018}' | '\u{FD3E}' => '(',
        '\u{0F3B}' | '\u{0F3D}' | '\u{169C}' | '\u{2769}' | '\u{276B}' | '\u{2773}'
        | '\u{27ED}' | '\u{27EF}' | '\u{2986}' | '\u{2988}' | '\u{2998}' | '\u{2E29}'
        | '\u{3015}' | '\u{3019}' | '\u{FD3F}' => ')',
        _ => return None,
    })
}

/// Whether `c` vanishes from the normalised text: default ignorable, or a combining mark.
fn is_dropped(c: char) -> bool {
    // The Arabic tatweel only stretches the letters it joins: `NـOـFـOـRـN` reads NOFORN.
    is_default_ignorable(c) || unicode_normalization::char::is_combining_mark(c) || c == '\u{0640}'
}

/// The fold of one character, before whitespace is collapsed: its confusable letter if it has
/// one; otherwise its compatibility decomposition (NFKD) with default-ignorable characters and
/// combining marks removed, each remaining character mapped to its confusable letter or else
/// lower-cased (with `ß`/`ẞ` → `ss`, `ς` → `σ`, `ſ` → `s`) and the result mapped again.
///
/// Every character of the output is itself a fixed point of the fold (tested for every
/// `char`), so normalising normalised text changes nothing.
pub(super) fn fold(c: char, emit: &mut impl FnMut(char)) {
    if is_blank_look_alike(c) || is_footnote_mark(c) {
        emit(' ');
        return;
    }
    if let Some(latin) = confusable(c).or_else(|| punctuation_look_alike(c)) {
        emit(latin);
        return;
    }
    unicode_normalization::char::decompose_compatible(c, |d| {
        if is_dropped(d) {
            return;
        }
        if let Some(latin) = confusable(d).or_else(|| punctuation_look_alike(d)) {
            emit(latin);
            return;
        }
        match d {
            'ß' | 'ẞ' => {
                emit('s');
                emit('s');
            }
            'ς' => emit('σ'),
            'ſ' => emit('s'),
            _ => {
                for lower in d.to_lowercase() {
                    if is_dropped(lower) {
                        continue;
                    }
                    emit(
                        confusable(lower)
                            .or_else(|| punctuation_look_alike(lower))
                            .unwrap_or(lower),
                    );
                }
            }
        }
    });
}

/// The fold of a one- or two-byte UTF-8 character (U+0000..U+07FF: ASCII, Latin-1 and Latin
/// Extended, IPA, combining marks, Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana,
/// NKo), looked up instead of computed: [`Fold2::kind`] says what the fold is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Fold2 {
    /// The UTF-8 of the one character of the fold (`len` bytes of it; a space for
    /// whitespace).
    pub(super) bytes: [u8; 2],
    /// 0 (nothing), 1 or 2.
    pub(super) len: u8,
    /// One of the `FOLD2_*` kinds.
    pub(super) kind: u8,
}

/// The fold is empty (a combining mark, a default-ignorable character).
pub(super) const FOLD2_DROPPED: u8 = 0;
/// The fold is one character of one or two bytes, not whitespace (a letter, a digit, a mark
/// of punctuation, a symbol).
pub(super) const FOLD2_ONE: u8 = 1;
/// The fold is one whitespace character (a space once collapsed).
pub(super) const FOLD2_WHITE: u8 = 2;
/// Anything else (more than one character, or a character of more bytes): fold it with
/// [`fold`].
pub(super) const FOLD2_SLOW: u8 = 3;

/// One past the last code point of two-byte UTF-8.
const TWO_BYTE_END: u32 = 0x800;

/// The folds of the one- and two-byte characters, by code point, computed with [`fold`] on
/// first use: the same results, without the decomposition lookups.
pub(super) fn short_folds() -> &'static [Fold2] {
    static TABLE: std::sync::OnceLock<Vec<Fold2>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TWO_BYTE_END)
            .map(|cp| char::from_u32(cp).map_or(SLOW_FOLD, compute_fold2))
            .collect()
    })
}

pub(super) const SLOW_FOLD: Fold2 = Fold2 {
    bytes: [0; 2],
    len: 0,
    kind: FOLD2_SLOW,
};

/// [`fold`] of `c` as a [`Fold2`].
fn compute_fold2(c: char) -> Fold2 {
    let mut out: Vec<char> = Vec::new();
    fold(c, &mut |d| out.push(d));
    match out.as_slice() {
        [] => Fold2 {
            bytes: [0; 2],
            len: 0,
            kind: FOLD2_DROPPED,
        },
        &[d] if d.is_whitespace() => Fold2 {
            bytes: [b' ', 0],
            len: 1,
            kind: FOLD2_WHITE,
        },
        &[d] if d.len_utf8() <= 2 => {
            let mut bytes = [0u8; 2];
            let len = d.encode_utf8(&mut bytes).len();
            Fold2 {
                bytes,
                len: u8::try_from(len).unwrap_or(0),
                kind: FOLD2_ONE,
            }
        }
        _ => SLOW_FOLD,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_target_ascii_letters() {
        assert!(DEFAULT_IGNORABLE
            .windows(2)
            .all(|w| w[0].1 < w[1].0 && w[0].0 <= w[0].1));
        assert!(CONFUSABLES.windows(2).all(|w| w[0].0 < w[1].0));
        for &(from, to) in CONFUSABLES {
            assert!(!from.is_ascii(), "{from:?}");
            assert!(to.is_ascii_lowercase(), "{from:?} -> {to:?}");
        }
    }

    #[test]
    fn ignorable_edges() {
        for c in [
            '\u{AD}',
            '\u{200B}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{E0041}',
        ] {
            assert!(is_default_ignorable(c), "{c:?}");
        }
        for c in [
            'a',
            '\u{AC}',
            '\u{200A}',
            '\u{2010}',
            '\u{FFFD}',
            '\u{E1000}',
        ] {
            assert!(!is_default_ignorable(c), "{c:?}");
        }
    }

    /// Every character's fold is made of fixed points of the fold, so normalisation is
    /// idempotent; ASCII folds to its lower case.
    #[test]
    fn the_fold_is_idempotent_for_every_char() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let mut once = Vec::new();
            fold(c, &mut |d| once.push(d));
            for &d in &once {
                let mut twice = Vec::new();
                fold(d, &mut |e| twice.push(e));
                assert_eq!(
                    twice,
                    vec![d],
                    "{c:?} folds to {once:?}, {d:?} to {twice:?}"
                );
            }
            if c.is_ascii() {
                assert_eq!(once, vec![c.to_ascii_lowercase()]);
            }
        }
    }

    /// The table of one- and two-byte folds says, for every code point below U+0800, what
    /// [`fold`] makes, by its code point decoded from the lead and continuation byte, or the
    /// ASCII byte (the scanner's table of byte pairs is built from it that way).
    #[test]
    fn the_short_table_is_the_fold() {
        let table = short_folds();
        assert_eq!(table.len(), 0x800);
        for c in (0..0x800u32).filter_map(char::from_u32) {
            let mut folded = Vec::new();
            fold(c, &mut |d| folded.push(d));
            let entry = table[usize::try_from(u32::from(c)).unwrap()];
            let mut utf8 = [0u8; 4];
            let encoded = c.encode_utf8(&mut utf8).as_bytes();
            if let &[lead, second] = encoded {
                let code_point = (usize::from(lead & 0x1F) << 6) | usize::from(second & 0x3F);
                assert_eq!(table[code_point], entry, "{c:?}");
            }
            let bytes = &entry.bytes[..usize::from(entry.len)];
            match entry.kind {
                FOLD2_DROPPED => assert!(folded.is_empty(), "{c:?}"),
                FOLD2_WHITE => {
                    assert!(folded.len() == 1 && folded[0].is_whitespace(), "{c:?}");
                    assert_eq!(bytes, b" ");
                }
                FOLD2_ONE => {
                    assert_eq!(folded.len(), 1, "{c:?}");
                    let d = folded[0];
                    assert_eq!(bytes, d.to_string().as_bytes(), "{c:?}");
                    assert!(!d.is_whitespace(), "{c:?}");
                }
                FOLD2_SLOW => assert!(
                    folded.len() > 1 || folded.iter().any(|d| d.len_utf8() > 2),
                    "{c:?}"
                ),
                other => panic!("{c:?}: kind {other}"),
            }
        }
        // Overlong leads (C0, C1) are refused by the scanner, not looked up; past the table,
        // everything is slow.
        assert_eq!(table.get(0x800), None);
    }

    /// Every character with a non-zero canonical combining class is a combining mark, so
    /// removing the marks after a per-character decomposition equals removing them after the
    /// canonical reordering of a whole-string NFKD: the fold needs no context.
    #[test]
    fn reordered_characters_are_all_dropped() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if unicode_normalization::char::canonical_combining_class(c) != 0 {
                assert!(is_dropped(c), "{c:?}");
            }
        }
    }
}
