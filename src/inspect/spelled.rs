//! Spaced phrases ([`super::Phrase::spaced`]): their letters (word characters) as an
//! Aho-Corasick automaton whose states know their depth, fed the word characters of the
//! normalised text — but only from a word where one of the phrases can begin, and only for as
//! long as a word start is left that a match could still begin at.
//!
//! A spaced phrase `Q` matches a run of consecutive words whose concatenation is `Q`: `Q` in
//! the word characters of the text, beginning at a word's start and ending at a word's end.
//! The scan ([`Walk`]) keeps the word starts of the stretch it is reading. After each word,
//! the automaton's depth `d` is the length of the longest suffix of what it read that begins
//! some `Q`, so a word start more than `d` bytes back can begin no match and is dropped; when
//! none is left (or the state is the root), the automaton goes back to its root and the scan
//! to skipping words. A match is reported where the automaton reaches a phrase's end at a
//! word's end, when the phrase's first letter is one of the word starts kept.
//!
//! Skipping reads 64 ASCII bytes at a time: the word starts come from one bit mask, each is
//! tested (without a branch per word) on its first three bytes against a table of byte pairs,
//! and a word that passes is looked up by its first eight letters (or all of them) in the
//! table of the phrases' prefixes: a word whose letters begin no phrase is not walked, one
//! whose do is walked from after them, and a whole word whose next word's first letter
//! continues no phrase from it is not walked either. Every word character is fed at most once,
//! so the cost is linear however the text is written (one-letter words included).

use std::collections::VecDeque;

use super::{gather_high_bits, normalised_word_bytes, whole_char, Normalised};

/// The root state.
const ROOT: u32 = 0;
/// Most entries of a dense transition table ([`Spelled::dense`]): 16 MiB. A larger automaton
/// follows its sparse edges and failure links instead.
const MAX_DENSE_ENTRIES: usize = 1 << 22;
/// In [`Spelled::info`]: a phrase ends at the state or on its failure chain.
const ENDS: u32 = 1 << 31;
/// In [`Spelled::pairs`]: a word's first two bytes may begin a match.
const FIRST: u8 = 1;
/// In [`Spelled::pairs`]: a word's second and third bytes may.
const SECOND: u8 = 2;

/// The automaton of the spaced phrases' letters.
#[derive(Clone, Debug)]
pub(super) struct Spelled {
    states: Vec<State>,
    /// The edges of every state but the root, each state's sorted by byte.
    edges: Vec<(u8, u32)>,
    /// The root's edges by byte ([`ROOT`] where there is none).
    root: Box<[u32; 256]>,
    /// The phrases that end at each state ([`State::outputs`]).
    outputs: Vec<usize>,
    /// Per state, its depth, and [`ENDS`].
    info: Vec<u32>,
    /// Each byte's class: bytes that no phrase holds are class 0.
    classes: Box<[u8; 256]>,
    /// Classes (the stride of `dense`).
    stride: usize,
    /// The transitions of every state for every class, failure links followed, when there
    /// are at most [`MAX_DENSE_ENTRIES`].
    dense: Option<Vec<u32>>,
    /// Per byte pair, at [`pair_index`]: [`FIRST`] when a word whose first two bytes they
    /// are may begin a match, [`SECOND`] for its second and third ([`Spelled::may_begin`],
    /// [`Spelled::may_begin_word`]). Bytes, not bits: one load per test (64 KiB, read where
    /// words start).
    pairs: Box<[u8; 1 << 16]>,
    /// Every prefix of one to eight bytes of a phrase's letters that are ASCII letters or
    /// digits, by its little-endian word (zero above it): the cursor after it, read from the
    /// root, and whether a phrase ends there or on its failure chain (open addressing, a power
    /// of two long, key 0 for an empty slot). A word of ASCII letters is looked up by its first
    /// eight (or all of them): not there, it can begin no match; there, its walk starts after
    /// them.
    jumps: Vec<(u64, u32, bool)>,
}

#[derive(Clone, Copy, Debug)]
struct State {
    /// Bytes from the root.
    depth: u32,
    /// The state of the longest proper suffix that is a state.
    fail: u32,
    /// The nearest state on the failure chain (itself excluded) where a phrase ends
    /// ([`ROOT`]: none).
    dict: u32,
    /// Range of [`Spelled::edges`].
    edges: (u32, u32),
    /// Range of [`Spelled::outputs`].
    outputs: (u32, u32),
}

impl Spelled {
    /// The automaton of `keys`: each phrase's letters (UTF-8, not empty) and its index.
    /// `None` when there is none; [`super::WordsError::AutomatonTooLarge`] past `u32` states.
    pub(super) fn build(keys: &[(String, usize)]) -> Result<Option<Self>, super::WordsError> {
        if keys.is_empty() {
            return Ok(None);
        }
        let too_large = || super::WordsError::AutomatonTooLarge;
        // The trie, with each node's children in a list while it grows.
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut ends: Vec<Vec<usize>> = vec![Vec::new()];
        let mut depth: Vec<u32> = vec![0];
        let mut pairs: Box<[u8; 1 << 16]> = Box::new([0u8; 1 << 16]);
        let mut mark = |flag: u8, first: u8, second: u8| {
            if let Some(slot) = pairs.get_mut(pair_index(first, second)) {
                *slot |= flag;
            }
        };
        for (key, phrase) in keys {
            let bytes = key.as_bytes();
            if let [_, b1, b2, ..] = bytes {
                mark(SECOND, *b1, *b2);
            }
            if let [b0, b1, ..] = bytes {
                mark(FIRST, *b0, *b1);
            }
            let mut node = 0usize;
            for &b in bytes {
                let here = children.get(node).and_then(|c| c.iter().find(|e| e.0 == b));
                node = match here {
                    Some(&(_, next)) => usize::try_from(next).map_err(|_| too_large())?,
                    None => {
                        let next = children.len();
                        let id = u32::try_from(next).map_err(|_| too_large())?;
                        let d = depth.get(node).copied().unwrap_or(0).saturating_add(1);
                        if let Some(c) = children.get_mut(node) {
                            c.push((b, id));
                        }
                        children.push(Vec::new());
                        ends.push(Vec::new());
                        depth.push(d);
                        next
                    }
                };
            }
            if let Some(e) = ends.get_mut(node) {
                e.push(*phrase);
            }
        }
        // Failure and dictionary links, breadth first.
        let count = children.len();
        let mut fail = vec![ROOT; count];
        let mut dict = vec![ROOT; count];
        let mut root = Box::new([ROOT; 256]);
        let mut queue = VecDeque::new();
        for &(b, next) in children.first().map(Vec::as_slice).unwrap_or_default() {
            if let Some(slot) = root.get_mut(usize::from(b)) {
                *slot = next;
            }
            queue.push_back(next);
        }
        let step = |children: &[Vec<(u8, u32)>], fail: &[u32], mut s: u32, b: u8| loop {
            if s == ROOT {
                return root.get(usize::from(b)).copied().unwrap_or(ROOT);
            }
            let index = usize::try_from(s).unwrap_or(usize::MAX);
            if let Some(&(_, t)) = children
                .get(index)
                .and_then(|c| c.iter().find(|e| e.0 == b))
            {
                return t;
            }
            s = fail.get(index).copied().unwrap_or(ROOT);
        };
        while let Some(node) = queue.pop_front() {
            let index = usize::try_from(node).unwrap_or(usize::MAX);
            let kids = children.get(index).cloned().unwrap_or_default();
            for (b, child) in kids {
                let from = fail.get(index).copied().unwrap_or(ROOT);
                // The root's children fail to the root; deeper ones to the state the parent's
                // failure reaches on the same byte.
                let f = if node == ROOT {
                    ROOT
                } else {
                    step(&children, &fail, from, b)
                };
                let c = usize::try_from(child).unwrap_or(usize::MAX);
                let f_index = usize::try_from(f).unwrap_or(usize::MAX);
                let f_ends = ends.get(f_index).is_some_and(|e| !e.is_empty());
                let d = if f_ends {
                    f
                } else {
                    dict.get(f_index).copied().unwrap_or(ROOT)
                };
                if let Some(slot) = fail.get_mut(c) {
                    *slot = f;
                }
                if let Some(slot) = dict.get_mut(c) {
                    *slot = d;
                }
                queue.push_back(child);
            }
        }
        // A word whose first byte begins a phrase may begin a match when it is followed by
        // anything but an ASCII letter or digit (a one-letter word, or a byte whose character
        // is not known here); when it is, the two must begin a phrase (set above). A first
        // character of several bytes is in one of the phrases' first pairs whole or not at all.
        for b0 in 0..=255u8 {
            if b0.is_ascii() && root.get(usize::from(b0)).is_some_and(|&s| s != ROOT) {
                for b1 in (0..=255u8).filter(|b1| !b1.is_ascii_alphanumeric()) {
                    mark(FIRST, b0, b1);
                }
            }
        }
        // A word's second and third bytes say nothing when either is not an ASCII letter or
        // digit (a word of one or two letters, or a character not known here).
        for b1 in 0..=255u8 {
            for b2 in 0..=255u8 {
                if !b1.is_ascii_alphanumeric() || !b2.is_ascii_alphanumeric() {
                    mark(SECOND, b1, b2);
                }
            }
        }
        let mut states = Vec::with_capacity(count);
        let mut edges = Vec::new();
        let mut outputs = Vec::new();
        let index = |n: usize| u32::try_from(n).map_err(|_| too_large());
        for (n, kids) in children.iter_mut().enumerate() {
            kids.sort_unstable();
            let e0 = index(edges.len())?;
            if n != 0 {
                edges.extend_from_slice(kids);
            }
            let o0 = index(outputs.len())?;
            outputs.extend_from_slice(ends.get(n).map(Vec::as_slice).unwrap_or_default());
            states.push(State {
                depth: depth.get(n).copied().unwrap_or(0),
                fail: fail.get(n).copied().unwrap_or(ROOT),
                dict: dict.get(n).copied().unwrap_or(ROOT),
                edges: (e0, index(edges.len())?),
                outputs: (o0, index(outputs.len())?),
            });
        }
        let info = states
            .iter()
            .map(|s| {
                let ends = s.outputs.0 < s.outputs.1 || s.dict != ROOT;
                s.depth | if ends { ENDS } else { 0 }
            })
            .collect();
        let mut classes = Box::new([0u8; 256]);
        let mut stride = 1usize;
        for (b, class) in classes.iter_mut().enumerate() {
            let held = edges.iter().any(|e| usize::from(e.0) == b)
                || root.get(b).is_some_and(|&s| s != ROOT);
            if held {
                *class = u8::try_from(stride).unwrap_or(u8::MAX);
                stride = stride.saturating_add(1);
            }
        }
        let mut spelled = Self {
            states,
            edges,
            root,
            outputs,
            info,
            classes,
            stride,
            dense: None,
            pairs,
            jumps: Vec::new(),
        };
        spelled.dense = spelled.dense_table();
        spelled.jumps = spelled.jump_table(keys);
        Ok(Some(spelled))
    }

    /// The dense transition table, when it is small enough: breadth first, so that each
    /// state's failure state's row is complete before its own.
    fn dense_table(&self) -> Option<Vec<u32>> {
        let size = self.states.len().checked_mul(self.stride)?;
        if size > MAX_DENSE_ENTRIES || self.stride > 256 || self.info.len() != self.states.len() {
            return None;
        }
        // One byte per class (any byte of it: they are read alike).
        let mut byte_of = vec![0u8; self.stride];
        for (b, &class) in self.classes.iter().enumerate() {
            if let Some(slot) = byte_of.get_mut(usize::from(class)) {
                *slot = u8::try_from(b).unwrap_or(0);
            }
        }
        let mut dense = vec![ROOT; size];
        let mut queue = VecDeque::from([ROOT]);
        while let Some(s) = queue.pop_front() {
            let index = usize::try_from(s).ok()?;
            let state = self.states.get(index)?;
            let row = index.checked_mul(self.stride)?;
            for (class, &b) in byte_of.iter().enumerate().skip(1) {
                let own = if s == ROOT {
                    self.root
                        .get(usize::from(b))
                        .copied()
                        .filter(|&t| t != ROOT)
                } else {
                    self.edge(state, b)
                };
                let target = match own {
                    Some(t) => t,
                    None if s == ROOT => ROOT,
                    // The failure state is shallower: its row is done.
                    None => {
                        let f = usize::try_from(state.fail).ok()?;
                        *dense.get(f.checked_mul(self.stride)?.checked_add(class)?)?
                    }
                };
                *dense.get_mut(row.checked_add(class)?)? = target;
            }
            let (e0, e1) = state.edges;
            let range = usize::try_from(e0).ok()?..usize::try_from(e1).ok()?;
            if s == ROOT {
                queue.extend(self.root.iter().copied().filter(|&t| t != ROOT));
            } else {
                queue.extend(self.edges.get(range)?.iter().map(|e| e.1));
            }
        }
        // Rows of `stride + 1`: the state's info, then its targets, each as its row's offset
        // (the cursor a scan holds: no multiplication between one character and the next).
        let width = self.stride.checked_add(1)?;
        let cursor = |t: u32| u32::try_from(usize::try_from(t).ok()?.checked_mul(width)?).ok();
        let mut rows = Vec::with_capacity(self.states.len().checked_mul(width)?);
        for (state, targets) in self.info.iter().zip(dense.chunks_exact(self.stride)) {
            rows.push(*state);
            for &t in targets {
                rows.push(cursor(t)?);
            }
        }
        Some(rows)
    }

    /// The table of [`Self::jumps`].
    fn jump_table(&self, keys: &[(String, usize)]) -> Vec<(u64, u32, bool)> {
        let mut entries: Vec<(u64, u32, bool)> = Vec::new();
        for (key, _) in keys {
            let mut word = [0u8; 8];
            let mut cursor = ROOT;
            for (n, &b) in key.as_bytes().iter().take(8).enumerate() {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                if let Some(slot) = word.get_mut(n) {
                    *slot = b;
                }
                cursor = self.step(cursor, b);
                let ends = self.info(cursor) & ENDS != 0;
                entries.push((u64::from_le_bytes(word), cursor, ends));
            }
        }
        entries.sort_unstable();
        entries.dedup();
        let size = entries.len().saturating_mul(2).max(1).next_power_of_two();
        let mut table = vec![(0u64, ROOT, false); size];
        for entry in entries {
            let mut slot = jump_slot(entry.0, size);
            while table.get(slot).is_some_and(|e| e.0 != 0) {
                slot = slot.wrapping_add(1) & size.saturating_sub(1);
            }
            if let Some(place) = table.get_mut(slot) {
                *place = entry;
            }
        }
        table
    }

    /// The cursor after `word` (one to eight ASCII letters or digits, little-endian, zero
    /// above them) read from the root, and whether a phrase ends there, when it begins a
    /// phrase ([`Self::jumps`]).
    #[inline]
    fn jump(&self, word: u64) -> Option<(u32, bool)> {
        let size = self.jumps.len();
        let mut slot = jump_slot(word, size);
        // At least half the slots are empty: the search ends.
        loop {
            let &(key, cursor, ends) = self.jumps.get(slot)?;
            if key == word {
                return Some((cursor, ends));
            }
            if key == 0 {
                return None;
            }
            slot = slot.wrapping_add(1) & size.saturating_sub(1);
        }
    }

    /// The target of `state`'s own edge on `b` (not the root's).
    fn edge(&self, state: &State, b: u8) -> Option<u32> {
        let (e0, e1) = state.edges;
        let range = usize::try_from(e0).ok()?..usize::try_from(e1).ok()?;
        self.edges
            .get(range)?
            .iter()
            .find(|e| e.0 == b)
            .map(|e| e.1)
    }

    /// The depth of the state at `cursor` ([`Self::step`]), and [`ENDS`].
    #[inline]
    fn info(&self, cursor: u32) -> u32 {
        let at = usize::try_from(cursor).unwrap_or(usize::MAX);
        match &self.dense {
            Some(rows) => rows.get(at),
            None => self.info.get(at),
        }
        .copied()
        .unwrap_or(0)
    }

    /// The state at `cursor`.
    fn state_at(&self, cursor: u32) -> u32 {
        match self.dense {
            Some(_) => u32::try_from(self.stride.saturating_add(1))
                .ok()
                .and_then(|width| cursor.checked_div(width))
                .unwrap_or(ROOT),
            None => cursor,
        }
    }

    /// The number of phrases.
    pub(super) fn phrases(&self) -> usize {
        self.outputs.len()
    }

    fn state(&self, s: u32) -> Option<&State> {
        self.states.get(usize::try_from(s).ok()?)
    }

    /// The cursor after the state at `cursor` reads `b`. A cursor is a state's row in the
    /// dense table, or, without one, the state itself; the root's is 0 either way.
    #[inline]
    fn step(&self, cursor: u32, b: u8) -> u32 {
        if let Some(rows) = &self.dense {
            let class = usize::from(self.classes.get(usize::from(b)).copied().unwrap_or(0));
            let at = usize::try_from(cursor)
                .unwrap_or(usize::MAX)
                .wrapping_add(1)
                .wrapping_add(class);
            return rows.get(at).copied().unwrap_or(ROOT);
        }
        self.next_sparse(cursor, b)
    }

    /// [`Self::step`] through the edges and failure links (no dense table).
    fn next_sparse(&self, mut s: u32, b: u8) -> u32 {
        loop {
            if s == ROOT {
                return self.root.get(usize::from(b)).copied().unwrap_or(ROOT);
            }
            let Some(state) = self.state(s) else {
                return ROOT;
            };
            if let Some(t) = self.edge(state, b) {
                return t;
            }
            s = state.fail;
        }
    }

    /// Whether a word whose first byte is `b0`, followed by `b1` (0 when not known), can
    /// begin a match: the first byte begins a phrase, and when the word's second byte is an
    /// ASCII letter or digit, the two begin one.
    #[inline]
    fn may_begin(&self, b0: u8, b1: u8) -> bool {
        self.pairs
            .get(pair_index(b0, b1))
            .is_some_and(|&f| f & FIRST != 0)
    }

    /// Whether a word whose first three bytes are `three` (little-endian, the fourth byte
    /// ignored) may begin a match, as 0 or 1: its first two begin a phrase, and its second and
    /// third are the second and third of one ([`Self::pairs`]) — a word of one letter passes
    /// on its first. A filter: a word it refuses can begin no match. (A third pair, tried,
    /// cost more per word than the walks it saved: the words that pass are looked up whole in
    /// [`Self::jumps`] before any walk.)
    #[inline(always)]
    fn may_begin_word(&self, three: u32) -> u64 {
        // Sixteen bits index the table whole: no bounds to check.
        let flags = |shift: u32| {
            let at = usize::from(u16::try_from((three >> shift) & 0xFFFF).unwrap_or(u16::MAX));
            u64::from(self.pairs.get(at).copied().unwrap_or(u8::MAX))
        };
        flags(0) & (flags(8) >> 1) & 1
    }
}

/// Where a word start of a [`Walk`] is: in the normalised text kept (a byte position), or,
/// once that is let go, in the input.
#[derive(Clone, Copy, Debug)]
enum Start {
    Text(usize),
    Input(u64),
}

/// The state of the scan for spaced phrases through one segment.
#[derive(Clone, Debug, Default)]
pub(super) struct Walk {
    /// The normalised text read up to here (a character boundary).
    pub(super) at: usize,
    /// The character before `at` is a word character.
    in_word: bool,
    /// The automaton's state ([`ROOT`] while skipping).
    state: u32,
    /// Word-character bytes fed to the automaton since the segment began.
    fed: u64,
    /// The word starts a match may still begin at, oldest first: the word-character bytes
    /// fed before each, and where it is.
    starts: VecDeque<(u64, Start)>,
}

impl Walk {
    /// Reads the normalised text from [`Self::at`] to `limit` (a character boundary): `each`
    /// gets every match (phrase, input start, input end) whose last character is before
    /// `limit`. The character after `limit` must be in `text`, unless `segment_end`.
    pub(super) fn run(
        &mut self,
        spelled: &Spelled,
        text: &Normalised,
        limit: usize,
        segment_end: bool,
        each: &mut impl FnMut(usize, u64, u64),
    ) {
        let bytes = &text.bytes;
        let mut i = self.at;
        while i < limit {
            if !self.starts.is_empty() {
                // A walk goes on (from an earlier round, or one begun below that reached
                // `limit`).
                i = self.walk(spelled, text, i, limit, segment_end, each);
                continue;
            }
            if let Some(next) = self.block(spelled, text, i, limit, segment_end, each) {
                i = next;
                continue;
            }
            // Otherwise character by character, for as long as a block would be.
            let stop = i.saturating_add(64).min(limit);
            while i < stop {
                let (len, word) = character(bytes, i);
                let b0 = bytes.get(i).copied().unwrap_or(0);
                let b1 = bytes.get(i.wrapping_add(1)).copied().unwrap_or(0);
                if word && !self.in_word && spelled.may_begin(b0, b1) {
                    i = self.walk(spelled, text, i, limit, segment_end, each);
                    break;
                }
                self.in_word = word;
                i = i.saturating_add(len);
            }
        }
        self.at = i;
    }

    /// Reads the 64 bytes from `i` (no walk in progress) when they are ASCII and before
    /// `limit`, and returns where to go on; `None`, untouched, otherwise. The word starts of
    /// the block come from one mask, the candidates among them from the pair tables (without
    /// a branch per word), and each candidate that no walk from an earlier one covered is
    /// looked up by its first eight letters ([`Spelled::jump`]) and walked from after them.
    #[inline(always)]
    fn block(
        &mut self,
        spelled: &Spelled,
        text: &Normalised,
        i: usize,
        limit: usize,
        segment_end: bool,
        each: &mut impl FnMut(usize, u64, u64),
    ) -> Option<usize> {
        let bytes = &text.bytes;
        let block = bytes.get(i..limit).and_then(<[u8]>::first_chunk::<64>)?;
        // Per byte: an ASCII letter or digit; not ASCII; the first byte of a character that
        // is not ASCII (the range checks on the low seven bits: no carry crosses a byte).
        let mut mask = 0u64;
        let mut any_high = 0u64;
        for (c, eight) in block.chunks_exact(8).enumerate() {
            let word = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
            let shift = u32::try_from(c.wrapping_mul(8)).unwrap_or(0);
            any_high |= word;
            mask |= gather_high_bits(normalised_word_bytes(word)).wrapping_shl(shift);
        }
        let mut high = 0u64;
        let mut leads = 0u64;
        if any_high & crate::swar::HIGHS != 0 {
            // Again, without letting a byte that is not ASCII carry into its neighbour.
            mask = 0;
            for (c, eight) in block.chunks_exact(8).enumerate() {
                let word = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
                let shift = u32::try_from(c.wrapping_mul(8)).unwrap_or(0);
                let ascii = normalised_word_bytes(word & crate::swar::LOWS) & !word;
                mask |= gather_high_bits(ascii).wrapping_shl(shift);
                high |= gather_high_bits(word & crate::swar::HIGHS).wrapping_shl(shift);
                let lead = word & (word << 1) & crate::swar::HIGHS;
                leads |= gather_high_bits(lead).wrapping_shl(shift);
            }
        }
        // The characters that are not ASCII, one by one: their bytes are word bytes when
        // they are word characters; one cut by the block's end ends the block before it.
        let mut len = 64usize;
        let mut rest = leads;
        while rest != 0 {
            let p = rest.trailing_zeros();
            rest &= rest.wrapping_sub(1);
            let at = usize::try_from(p).unwrap_or(0);
            let (width, word) = character(bytes, i.wrapping_add(at));
            if at.saturating_add(width) > 64 {
                len = at;
                break;
            }
            if word {
                let bits = 1u64
                    .checked_shl(u32::try_from(width).unwrap_or(0))
                    .map_or(u64::MAX, |b| b.wrapping_sub(1));
                mask |= bits << p;
            }
        }
        if len == 0 {
            return None;
        }
        let inside = 1u64
            .checked_shl(u32::try_from(len).unwrap_or(64))
            .map_or(u64::MAX, |b| b.wrapping_sub(1));
        mask &= inside;
        let mut starts = mask & !((mask << 1) | u64::from(self.in_word));
        // The block and the eight bytes after it (none at the end of the text: then every
        // start is a candidate, and the walks decide).
        let window = bytes.get(i..).and_then(<[u8]>::first_chunk::<72>);
        let mut candidates = starts;
        if let Some(window) = window {
            candidates = 0;
            while starts != 0 {
                // Below 64: the four bytes are in the window.
                let k = starts.trailing_zeros() & 63;
                let at = usize::try_from(k).unwrap_or(0);
                let four = window.get(at..).and_then(<[u8]>::first_chunk::<4>);
                let may = four.map_or(1, |f| spelled.may_begin_word(u32::from_le_bytes(*f)));
                candidates |= may << k;
                starts &= starts.wrapping_sub(1);
            }
        }
        // Where words end in the block and the eight bytes after it (when those are ASCII:
        // else a word that reaches them is looked up by its letters in the block, a prefix).
        let ahead = window
            .filter(|_| candidates != 0 && high == 0)
            .and_then(|w| w.last_chunk::<8>())
            .map(|w| u64::from_le_bytes(*w))
            .filter(|w| w & crate::swar::HIGHS == 0);
        let words = u128::from(mask)
            | u128::from(ahead.map_or(0, |w| gather_high_bits(normalised_word_bytes(w)))) << 64;
        let block_end = i.wrapping_add(len);
        let mut walked = i;
        while candidates != 0 && self.starts.is_empty() {
            let k = usize::try_from(candidates.trailing_zeros()).unwrap_or(0);
            candidates &= candidates.wrapping_sub(1);
            let at = i.wrapping_add(k);
            if at < walked {
                // The walk from an earlier word read this one.
                continue;
            }
            self.in_word = false;
            let mut from = at;
            // The word's first eight letters, or all of them.
            let letters = u32::try_from((!(words >> k)) & 0x1FF)
                .map_or(8, u32::trailing_zeros)
                .min(8);
            // Looked up when they are ASCII (the table holds only ASCII letters and digits: a
            // word with other letters is walked).
            let wide = u32::try_from(k)
                .ok()
                .and_then(|k| high.checked_shr(k))
                .is_some_and(|h| h & 1u64.wrapping_shl(letters).wrapping_sub(1) != 0);
            let eight = window
                .and_then(|w| w.get(k..))
                .and_then(<[u8]>::first_chunk::<8>)
                .filter(|_| at.saturating_add(8) <= limit && !wide)
                .map(|w| {
                    let keep = 1u64
                        .checked_shl(letters.saturating_mul(8))
                        .map_or(u64::MAX, |b| b.wrapping_sub(1));
                    u64::from_le_bytes(*w) & keep
                });
            if let Some(eight) = eight {
                match spelled.jump(eight) {
                    // No phrase begins with them: no walk.
                    None => continue,
                    // The walk starts after them (no match ends inside a word), unless a
                    // phrase may end where they end.
                    Some((cursor, false)) => {
                        // A whole word (it ends where it is known): when the first letter
                        // of the next word does not continue a phrase from it, no match
                        // begins here, and the next word is a candidate of its own.
                        let known = if ahead.is_some() { 72 } else { len };
                        let end = k.saturating_add(usize::try_from(letters).unwrap_or(8));
                        if letters < 8 && end < known {
                            let rest = (!words) >> end;
                            let next = end.saturating_add(
                                usize::try_from(rest.trailing_ones()).unwrap_or(known),
                            );
                            if let Some(&c) =
                                window.and_then(|w| w.get(next)).filter(|_| next < known)
                            {
                                let depth = spelled.info(spelled.step(cursor, c)) & !ENDS;
                                if depth <= letters {
                                    continue;
                                }
                            }
                        }
                        self.starts.push_back((self.fed, Start::Text(at)));
                        self.fed = self.fed.saturating_add(u64::from(letters));
                        self.state = cursor;
                        self.in_word = true;
                        from = at.wrapping_add(usize::try_from(letters).unwrap_or(0));
                    }
                    Some((_, true)) => {}
                }
            }
            walked = self.walk(spelled, text, from, limit, segment_end, each);
        }
        if walked > block_end || !self.starts.is_empty() {
            return Some(walked);
        }
        self.in_word = mask >> len.saturating_sub(1) & 1 != 0;
        Some(block_end)
    }

    /// Feeds the automaton the word characters from `i` (a character boundary), reporting
    /// the matches, until no word start is left that a match could begin at (or `limit`);
    /// returns where it stopped.
    #[inline(always)]
    fn walk(
        &mut self,
        spelled: &Spelled,
        text: &Normalised,
        mut i: usize,
        limit: usize,
        segment_end: bool,
        each: &mut impl FnMut(usize, u64, u64),
    ) -> usize {
        let bytes = &text.bytes;
        // In locals, written back once: the loop is bound by the chain from one state to the
        // next, which stores to `self` would lengthen.
        let mut state = self.state;
        let mut fed = self.fed;
        let mut in_word = self.in_word;
        while let Some(&b) = bytes.get(i).filter(|_| i < limit) {
            let (len, word) = if b.is_ascii() {
                (1, b.is_ascii_alphanumeric())
            } else {
                character(bytes, i)
            };
            let end = i.wrapping_add(len);
            if !word {
                i = end;
                if in_word {
                    // A word ended: the word starts too far back for the longest suffix that
                    // begins a phrase can begin no match.
                    in_word = false;
                    let oldest = fed.saturating_sub(u64::from(spelled.info(state) & !ENDS));
                    while self.starts.front().is_some_and(|&(at, _)| at < oldest) {
                        self.starts.pop_front();
                    }
                    if self.starts.is_empty() {
                        state = ROOT;
                        break;
                    }
                }
                continue;
            }
            if !in_word {
                self.starts.push_back((fed, Start::Text(i)));
            }
            in_word = true;
            if len == 1 {
                state = spelled.step(state, b);
            } else {
                for &b in bytes.get(i..end).unwrap_or_default() {
                    state = spelled.step(state, b);
                }
            }
            // No overflow: at most the bytes of the text.
            fed = fed.wrapping_add(u64::try_from(len).unwrap_or(0));
            i = end;
            if state == ROOT {
                // No suffix begins a phrase: no word start kept can begin a match.
                self.starts.clear();
                break;
            }
            let info = spelled.info(state);
            // A match ends here only at a word's end: the next character is not a word
            // character (or the segment ends).
            if info & ENDS != 0
                && match bytes.get(end) {
                    Some(_) => !character(bytes, end).1,
                    None => segment_end,
                }
            {
                self.report(spelled, text, state, fed, end, each);
            }
        }
        self.state = state;
        self.fed = fed;
        self.in_word = in_word;
        i
    }

    /// Reports the phrases that end at `state`, having read `fed` word-character bytes, and
    /// begin at a word start kept; the last character matched ends at `end` in the normalised
    /// text.
    #[cold]
    fn report(
        &self,
        spelled: &Spelled,
        text: &Normalised,
        state: u32,
        fed: u64,
        end: usize,
        each: &mut impl FnMut(usize, u64, u64),
    ) {
        let input_end = text.origin(end.saturating_sub(1)).1;
        let mut s = spelled.state_at(state);
        while let Some(state) = spelled.state(s) {
            let (o0, o1) = state.outputs;
            let range = usize::try_from(o0).unwrap_or(0)..usize::try_from(o1).unwrap_or(0);
            let phrases = spelled.outputs.get(range).unwrap_or_default();
            if !phrases.is_empty() {
                let begin = fed.saturating_sub(u64::from(state.depth));
                let found = self
                    .starts
                    .binary_search_by_key(&begin, |&(fed, _)| fed)
                    .ok()
                    .and_then(|k| self.starts.get(k));
                if let Some(&(_, at)) = found {
                    let start = match at {
                        Start::Text(p) => text.origin(p).0,
                        Start::Input(origin) => origin,
                    };
                    for &phrase in phrases {
                        each(phrase, start, input_end);
                    }
                }
            }
            if state.dict == ROOT {
                break;
            }
            s = state.dict;
        }
    }

    /// Before the normalised text up to `keep` is let go: the word starts in it are kept by
    /// their input offset. Returns how much may go (not past what this scan has read).
    pub(super) fn let_go(&mut self, text: &Normalised, keep: usize) -> usize {
        let keep = keep.min(self.at);
        for (_, start) in &mut self.starts {
            if let Start::Text(p) = *start {
                if p < keep {
                    *start = Start::Input(text.origin(p).0);
                }
            }
        }
        for (_, start) in &mut self.starts {
            if let Start::Text(p) = start {
                *p = p.saturating_sub(keep);
            }
        }
        self.at = self.at.saturating_sub(keep);
        keep
    }

    /// The input offset of the oldest word start a match may still begin at.
    pub(super) fn earliest(&self, text: &Normalised) -> Option<u64> {
        self.starts.front().map(|&(_, start)| match start {
            Start::Text(p) => text.origin(p).0,
            Start::Input(origin) => origin,
        })
    }

    /// The word starts kept.
    #[cfg(test)]
    pub(super) fn starts_kept(&self) -> usize {
        self.starts.len()
    }

    /// Forgets the segment (keeping the memory).
    pub(super) fn clear(&mut self) {
        self.at = 0;
        self.in_word = false;
        self.state = ROOT;
        self.fed = 0;
        self.starts.clear();
    }
}

/// The length of the normalised character at `bytes[i]` and whether it is a word character
/// (`char::is_alphanumeric`); a byte that does not begin a whole character (never in
/// normalised text) is one that is not.
#[inline]
fn character(bytes: &[u8], i: usize) -> (usize, bool) {
    match bytes.get(i) {
        Some(&b) if b.is_ascii() => (1, b.is_ascii_alphanumeric()),
        Some(&lead @ 0xC2..=0xDF) => match bytes.get(i.wrapping_add(1)) {
            // Two bytes (Latin, Greek, Cyrillic, Hebrew, Arabic…): from a table.
            Some(&next) if next & 0xC0 == 0x80 => {
                let code_point = usize::from(lead & 0x1F) << 6 | usize::from(next & 0x3F);
                let word = two_byte_words()
                    .get(code_point / 64)
                    .is_some_and(|w| w >> (code_point % 64) & 1 != 0);
                (2, word)
            }
            _ => (1, false),
        },
        Some(_) => match bytes.get(i..).and_then(whole_char) {
            Some((c, len)) => (len, c.is_alphanumeric()),
            None => (1, false),
        },
        None => (1, false),
    }
}

/// Bit `c` for each code point below U+0800 that is `char::is_alphanumeric`, computed once.
fn two_byte_words() -> &'static [u64; 32] {
    static TABLE: std::sync::OnceLock<[u64; 32]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0u64; 32];
        for code_point in 0..0x800u32 {
            if char::from_u32(code_point).is_some_and(char::is_alphanumeric) {
                let at = usize::try_from(code_point).unwrap_or(0);
                if let Some(word) = table.get_mut(at / 64) {
                    *word |= 1 << (at % 64);
                }
            }
        }
        table
    })
}

/// The entry of [`Spelled::pairs`] for bytes `first`, `second` (the little-endian word of
/// the two).
fn pair_index(first: u8, second: u8) -> usize {
    usize::from(first) | usize::from(second) << 8
}

/// The first slot of [`Spelled::jumps`] (of `size`, a power of two) for `key`.
#[inline]
fn jump_slot(key: u64, size: usize) -> usize {
    usize::try_from(key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40).unwrap_or(0)
        & size.saturating_sub(1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    /// Every character of one to four bytes (a sample of the planes above) is read with its
    /// length and whether it is a word character, the two-byte table included.
    #[test]
    fn characters_are_read_as_they_are() {
        let sample = (0..0x3_0000u32).step_by(7).chain(0..0x800);
        for c in sample.filter_map(char::from_u32) {
            let mut bytes = [0u8; 5];
            let len = c.encode_utf8(&mut bytes).len();
            assert_eq!(
                character(&bytes, 0),
                (len, c.is_alphanumeric()),
                "{c:?} U+{:04X}",
                u32::from(c)
            );
        }
        // A lead byte without its continuation is not a word character.
        assert_eq!(character(&[0xD0, b'a'], 0), (1, false));
        assert_eq!(character(&[0xD0], 0), (1, false));
    }
}
