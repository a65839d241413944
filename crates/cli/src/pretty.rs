//! Pretty JSON into a buffer, byte for byte as `serde_json::to_string_pretty` writes it (two
//! spaces a level, `": "`, an empty array or object as `[]` or `{}`), for a value that stands
//! `depth` levels deep in the document. serde_json's writer reads every byte of every string
//! through its escape table; most of the analysis's JSON is strings that need no escaping, and
//! this one passes eight bytes at a time over those. Numbers are written by `itoa`, as serde_json
//! writes them, and floats by serde_json itself.

use serde::ser::{self, Serialize};
use serde_json::Error;

pub struct Pretty<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
    /// serde_json's `PrettyFormatter::has_value`: whether the collection being closed holds a
    /// value (one flag for the writer, as there).
    has_value: bool,
}

impl<'o> Pretty<'o> {
    /// A writer for a value `depth` levels deep: its inner lines are indented as the whole
    /// document would indent them.
    pub fn at(out: &'o mut Vec<u8>, depth: usize) -> Self {
        Pretty {
            out,
            depth,
            has_value: false,
        }
    }

    /// A line break and the indentation of the current depth. Up to depth 15 (nearly every
    /// line) this copies a fixed 32 bytes and cuts the copy to length, which compiles to a few
    /// stores instead of a call for a copy of variable length.
    fn newline(&mut self) {
        const LINE: &[u8; 32] = b"\n                               ";
        let n = self.out.len() + 1 + 2 * self.depth;
        if 2 * self.depth < LINE.len() {
            self.out.extend_from_slice(LINE);
            self.out.truncate(n);
        } else {
            self.out.push(b'\n');
            self.out.resize(n, b' ');
        }
    }

    fn open(&mut self, bracket: u8) {
        self.depth += 1;
        self.has_value = false;
        self.out.push(bracket);
    }

    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if self.has_value {
            self.newline();
        }
        self.out.push(bracket);
    }

    /// Before an element of an array or a key of an object.
    fn item(&mut self, first: bool) {
        if !first {
            self.out.push(b',');
        }
        self.newline();
    }

    fn integer(&mut self, n: impl itoa::Integer) {
        self.out
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    fn float(&mut self, value: &impl Serialize) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, value)
    }
}

/// Which bytes serde_json escapes, and how: `u` for `\u00XX`, else the letter after the
/// backslash; 0 for a byte written as it is.
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Whether any of the eight bytes of `w` may need escaping: a control character, `"` or `\`.
/// Never false for a word that holds one (the usual zero-byte test: a borrow can only add false
/// alarms, which the byte-at-a-time path then clears).
fn may_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    control | zero(w ^ (ONES * b'"' as u64)) | zero(w ^ (ONES * b'\\' as u64)) != 0
}

/// The eight bytes of `bytes` from `i`, as one word.
fn word(bytes: &[u8], i: usize) -> u64 {
    let mut w = [0; 8];
    w.copy_from_slice(&bytes[i..i + 8]);
    u64::from_le_bytes(w)
}

/// Whether `bytes` (at least eight of them) needs no escaping: eight bytes at a time, the last
/// (fewer than eight) bytes in the last eight, which overlap the words already read.
fn clean(bytes: &[u8]) -> bool {
    let n = bytes.len();
    let mut i = 0;
    while i + 8 <= n {
        if may_escape(word(bytes, i)) {
            return false;
        }
        i += 8;
    }
    i == n || !may_escape(word(bytes, n - 8))
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let n = bytes.len();
    out.reserve(n + 2);
    out.push(b'"');
    let at = out.len();
    // Most strings are keys and short values: up to 16 bytes they are checked and copied as one
    // or two words (fixed-size copies compile to stores; a copy of variable length is a call).
    if n < 8 {
        let mut w = 0u64;
        for (i, &b) in bytes.iter().enumerate() {
            if ESCAPE[b as usize] != 0 {
                escaped(out, bytes);
                out.push(b'"');
                return;
            }
            w |= u64::from(b) << (8 * i);
        }
        out.extend_from_slice(&w.to_le_bytes());
        out.truncate(at + n);
    } else if n <= 16 {
        let (first, last) = (word(bytes, 0), word(bytes, n - 8));
        if may_escape(first) || may_escape(last) {
            escaped(out, bytes);
        } else {
            out.extend_from_slice(&first.to_le_bytes());
            out.truncate(at + n - 8);
            out.extend_from_slice(&last.to_le_bytes());
        }
    } else if clean(bytes) {
        out.extend_from_slice(bytes);
    } else {
        escaped(out, bytes);
    }
    out.push(b'"');
}

/// `bytes` escaped as serde_json escapes them: the named escapes, other control characters as
/// `\u00XX` in lower-case hexadecimal, everything else as it is.
#[cold]
fn escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut run = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape = ESCAPE[byte as usize];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[run..i]);
        run = i + 1;
        if escape == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(byte >> 4) as usize],
                HEX[(byte & 0xf) as usize],
            ]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
    }
    out.extend_from_slice(&bytes[run..]);
}

pub struct Compound<'a, 'o> {
    ser: &'a mut Pretty<'o>,
    first: bool,
}

impl<'a, 'o> Compound<'a, 'o> {
    fn new(ser: &'a mut Pretty<'o>, bracket: u8) -> Self {
        ser.open(bracket);
        Compound { ser, first: true }
    }

    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.ser.item(self.first);
        self.first = false;
        value.serialize(&mut *self.ser)?;
        self.ser.has_value = true;
        Ok(())
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.ser.item(self.first);
        self.first = false;
        write_str(self.ser.out, key);
        self.ser.out.extend_from_slice(b": ");
        value.serialize(&mut *self.ser)?;
        self.ser.has_value = true;
        Ok(())
    }
}

/// Opens `{"variant": ` around what follows (serde_json's externally tagged enums).
fn open_variant(ser: &mut Pretty<'_>, variant: &str) {
    ser.open(b'{');
    ser.item(true);
    write_str(ser.out, variant);
    ser.out.extend_from_slice(b": ");
}

fn close_variant(ser: &mut Pretty<'_>) {
    ser.has_value = true;
    ser.close(b'}');
}

impl<'a, 'o> ser::Serializer for &'a mut Pretty<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'o>;
    type SerializeTuple = Compound<'a, 'o>;
    type SerializeTupleStruct = Compound<'a, 'o>;
    type SerializeTupleVariant = Compound<'a, 'o>;
    type SerializeMap = Compound<'a, 'o>;
    type SerializeStruct = Compound<'a, 'o>;
    type SerializeStructVariant = Compound<'a, 'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(&v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(&v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = Compound::new(self, b'[');
        for b in v {
            seq.element(b)?;
        }
        ser::SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        open_variant(self, variant);
        value.serialize(&mut *self)?;
        close_variant(self);
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'o>, Error> {
        Ok(Compound::new(self, b'['))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'o>, Error> {
        open_variant(self, variant);
        Ok(Compound::new(self, b'['))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'o>, Error> {
        Ok(Compound::new(self, b'{'))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a, 'o>, Error> {
        Ok(Compound::new(self, b'{'))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'o>, Error> {
        open_variant(self, variant);
        Ok(Compound::new(self, b'{'))
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.ser.close(b']');
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.ser.close(b']');
        close_variant(self.ser);
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.ser.item(self.first);
        self.first = false;
        key.serialize(MapKey(self.ser.out))
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.ser.out.extend_from_slice(b": ");
        value.serialize(&mut *self.ser)?;
        self.ser.has_value = true;
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        self.ser.close(b'}');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.ser.close(b'}');
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.ser.close(b'}');
        close_variant(self.ser);
        Ok(())
    }
}

/// A map's key, as serde_json writes one: a string, or a number, a boolean or a unit variant
/// written as a string; anything else is an error.
struct MapKey<'o>(&'o mut Vec<u8>);

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

impl MapKey<'_> {
    fn quoted(self, text: &str) -> Result<(), Error> {
        self.0.push(b'"');
        self.0.extend_from_slice(text.as_bytes());
        self.0.push(b'"');
        Ok(())
    }

    fn integer(self, n: impl itoa::Integer) -> Result<(), Error> {
        self.quoted(itoa::Buffer::new().format(n))
    }

    fn float(self, finite: bool, value: &impl Serialize) -> Result<(), Error> {
        if !finite {
            return Err(ser::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(&serde_json::to_string(value)?)
    }
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.0, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.0, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.quoted(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v.is_finite(), &v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v.is_finite(), &v)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn mine(value: &impl Serialize, depth: usize) -> String {
        let mut out = Vec::new();
        value.serialize(&mut Pretty::at(&mut out, depth)).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn same(value: &impl Serialize) {
        assert_eq!(mine(value, 0), serde_json::to_string_pretty(value).unwrap());
    }

    /// Every byte value at every offset of strings up to 39 bytes (one word, two, several and
    /// the overlapping last one), and every character class: escaped as serde_json escapes.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for len in 0..40 {
            for at in 0..len.max(1) {
                for b in (0u8..0x80).chain([0xc3]) {
                    let mut bytes = vec![b'a'; len.max(1)];
                    if b == 0xc3 {
                        // A two-byte character (é) in place of the last two bytes.
                        bytes.truncate(at);
                        bytes.extend_from_slice("é".as_bytes());
                    } else {
                        bytes[at] = b;
                    }
                    let s = String::from_utf8(bytes).unwrap();
                    same(&s);
                }
            }
        }
        same(&"\"\\\u{7f}\u{1f}\u{0}\n\r\t\u{8}\u{c}ünïcödé ✓ 🦀 \\\"".repeat(5));
        same(&'"');
        same(&'\u{1}');
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Newtype(Vec<u8>);

    #[derive(Serialize)]
    struct Pair(i8, String);

    #[derive(Serialize)]
    enum E {
        A,
        B(Option<u32>),
        C(i64, Vec<()>),
        D {
            x: f64,
            y: BTreeMap<String, Vec<String>>,
        },
        F {},
    }

    #[derive(Serialize)]
    struct All {
        unit: (),
        unit_struct: Unit,
        newtype: Newtype,
        pair: Pair,
        empty_vec: Vec<u8>,
        empty_map: BTreeMap<String, u8>,
        nested_empty: Vec<Vec<BTreeMap<String, ()>>>,
        enums: Vec<E>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        none: Option<u8>,
        numbers: (i8, i16, i32, i64, i128, u8, u16, u32, u64, u128),
        floats: Vec<f64>,
        float32: f32,
        bools: [bool; 2],
        chars: [char; 2],
        int_keys: BTreeMap<i32, bool>,
        bool_keys: BTreeMap<bool, u8>,
        unit_variant_keys: BTreeMap<K, u8>,
        bytes: serde_bytes_like::Bytes,
        tuple: (),
    }

    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    enum K {
        First,
        Second,
    }

    mod serde_bytes_like {
        /// Serialised with `serialize_bytes`.
        pub struct Bytes(pub Vec<u8>);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    fn all() -> All {
        All {
            unit: (),
            unit_struct: Unit,
            newtype: Newtype(vec![1, 2]),
            pair: Pair(-1, "two".into()),
            empty_vec: vec![],
            empty_map: BTreeMap::new(),
            nested_empty: vec![
                vec![],
                vec![BTreeMap::new()],
                vec![BTreeMap::from([("k".into(), ())])],
            ],
            enums: vec![
                E::A,
                E::B(None),
                E::B(Some(7)),
                E::C(-9, vec![(), ()]),
                E::C(0, vec![]),
                E::D {
                    x: 0.1 + 0.2,
                    y: BTreeMap::from([("a".into(), vec![]), ("b".into(), vec!["c\n".into()])]),
                },
                E::F {},
            ],
            skipped: None,
            none: None,
            numbers: (
                i8::MIN,
                i16::MIN,
                i32::MIN,
                i64::MIN,
                i128::MIN,
                u8::MAX,
                u16::MAX,
                u32::MAX,
                u64::MAX,
                u128::MAX,
            ),
            floats: vec![
                0.0,
                -0.0,
                1.0,
                1e300,
                1.5e-7,
                f64::NAN,
                f64::INFINITY,
                0.95,
                123456.789,
            ],
            float32: 0.1,
            bools: [true, false],
            chars: ['x', '\t'],
            int_keys: BTreeMap::from([(-1, true), (10, false)]),
            bool_keys: BTreeMap::from([(false, 0), (true, 1)]),
            unit_variant_keys: BTreeMap::from([(K::First, 1), (K::Second, 2)]),
            bytes: serde_bytes_like::Bytes(vec![0, 255]),
            tuple: (),
        }
    }

    #[test]
    fn every_shape_is_written_as_serde_json_writes_it() {
        same(&all());
        same(&vec![all(), all()]);
        same(&Vec::<u8>::new());
        same(&E::A);
        same(&E::F {});
    }

    /// Deeper than the fixed indentation reaches (depth 15), arrays and objects in turn.
    #[test]
    fn deep_values_are_indented_as_serde_json_indents_them() {
        let mut v = serde_json::json!(["x", {"k": [1, []], "e": {}}]);
        for i in 0..24 {
            v = if i % 2 == 0 {
                serde_json::json!([v, i])
            } else {
                serde_json::json!({"a": i, "k": v})
            };
            same(&v);
        }
    }

    /// At a depth, inner lines are indented as in the whole document: the value cut out of its
    /// pretty parent is the same text.
    #[test]
    fn a_value_deep_in_a_document_is_indented_as_there() {
        let whole = serde_json::to_string_pretty(&vec![vec![all()]]).unwrap();
        let at_two = mine(&all(), 2);
        assert!(whole.contains(&at_two), "{at_two}");
        assert!(at_two.contains("\n      \"unit\": null"), "{at_two}");
    }

    #[test]
    fn keys_that_are_not_strings_fail_as_in_serde_json() {
        let mut out = Vec::new();
        let bad: BTreeMap<Vec<u8>, u8> = BTreeMap::from([(vec![1], 1)]);
        let err = bad.serialize(&mut Pretty::at(&mut out, 0)).unwrap_err();
        let theirs = serde_json::to_string_pretty(&bad).unwrap_err();
        assert_eq!(err.to_string(), theirs.to_string());
    }
}
