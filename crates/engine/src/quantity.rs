//! Kubernetes `resource.Quantity`: the grammar, exact fixed-point values, canonical form, rounding.
//!
//! Upstream: kubernetes/apimachinery `pkg/api/resource/quantity.go` (`ParseQuantity`,
//! `CanonicalizeBytes`, `MilliValue`, `Value`, `RoundUp`, `Add`) and `suffix.go`.
//! Values are held as an integer count of nano-units (upstream rounds every parsed value up to
//! nano precision), in an `i128`, so there is no floating point anywhere. Upstream's arbitrary
//! precision reaches further; quantities beyond about 10^29 are refused here with a message.

use std::cmp::Ordering;
use std::fmt;

/// How a quantity was written, which decides how it is printed back (quantity.go `Format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    DecimalExponent,
    BinarySI,
    DecimalSI,
}

const NANO: i128 = 1_000_000_000;
/// BinarySI values are capped at 2^63-1 (quantity.go `maxAllowed`).
const MAX_ALLOWED_NANOS: i128 = (i64::MAX as i128) * NANO;

#[derive(Clone, Copy, Debug)]
pub struct Quantity {
    nanos: i128,
    pub format: Format,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}
impl Eq for Quantity {}
impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

/// Why a string is not a quantity, worded for people.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("is empty")]
    Empty,
    #[error("is not a quantity (like 250m, 1.5, 512Mi or 2Gi)")]
    Format,
    #[error("has an unknown suffix '{0}' (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent like e3)")]
    Suffix(String),
    #[error("is too large for podlab to compute exactly")]
    TooLarge,
}

fn decimal_suffix(s: &str) -> Option<i32> {
    // suffix.go newSuffixer: decimal SI suffixes
    Some(match s {
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "" => 0,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        _ => return None,
    })
}

fn binary_suffix(s: &str) -> Option<u32> {
    Some(match s {
        "Ki" => 10,
        "Mi" => 20,
        "Gi" => 30,
        "Ti" => 40,
        "Pi" => 50,
        "Ei" => 60,
        _ => return None,
    })
}

/// The largest decimal exponent podlab computes with (10^29 fits in i128 nanos).
const MAX_EXPONENT: i32 = 29;

impl Quantity {
    pub const ZERO: Quantity = Quantity {
        nanos: 0,
        format: Format::DecimalSI,
    };

    /// `ParseQuantity`: the exact grammar and rounding of quantity.go.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::Empty);
        }
        if s == "0" {
            return Ok(Quantity::ZERO);
        }
        let (positive, num, denom, suffix) = split(s)?;

        let (mut format, dec_exp, bin_exp) = if let Some(e) = decimal_suffix(suffix) {
            (Format::DecimalSI, e, 0)
        } else if let Some(e) = binary_suffix(suffix) {
            (Format::BinarySI, 0, e)
        } else if suffix.len() > 1 && (suffix.starts_with('e') || suffix.starts_with('E')) {
            // suffix.go interpret: strconv.ParseInt of what follows the 'e'
            let exp: i64 = suffix[1..]
                .parse()
                .map_err(|_| QuantityError::Suffix(suffix.to_string()))?;
            if exp.abs() > 1000 {
                return Err(if exp > 0 {
                    QuantityError::TooLarge
                } else {
                    QuantityError::Format
                });
            }
            (Format::DecimalExponent, exp as i32, 0)
        } else {
            return Err(QuantityError::Suffix(suffix.to_string()));
        };

        // digits × 10^scale × 2^bin_exp, exactly; then rounded up to nano precision.
        let mut digits = format!("{num}{denom}");
        let mut scale = dec_exp - denom.len() as i32;
        let trimmed = digits.trim_end_matches('0').len();
        if trimmed == 0 {
            let zero = if format == Format::BinarySI {
                Format::BinarySI
            } else {
                format
            };
            return Ok(Quantity {
                nanos: 0,
                format: zero,
            });
        }
        scale += (digits.len() - trimmed) as i32;
        digits.truncate(trimmed);
        let digits = digits.trim_start_matches('0');
        if digits.len() > 38 {
            return Err(QuantityError::TooLarge);
        }
        let mantissa: i128 = digits.parse().map_err(|_| QuantityError::Format)?;
        let binary_factor: i128 = 1i128 << bin_exp;

        let nanos = if scale + 9 >= 0 {
            let shift = (scale + 9) as u32;
            if scale > MAX_EXPONENT {
                if format == Format::BinarySI {
                    MAX_ALLOWED_NANOS
                } else {
                    return Err(QuantityError::TooLarge);
                }
            } else {
                let value = mantissa
                    .checked_mul(10i128.pow(shift))
                    .and_then(|v| v.checked_mul(binary_factor));
                match value {
                    Some(v) => v,
                    None if format == Format::BinarySI => MAX_ALLOWED_NANOS,
                    None => return Err(QuantityError::TooLarge),
                }
            }
        } else {
            // Fractional nanos: round up (away from zero), as ParseQuantity does with inf.RoundUp.
            let drop = (-(scale + 9)) as u32;
            let numerator = match mantissa.checked_mul(binary_factor) {
                Some(v) => v,
                None => return Err(QuantityError::TooLarge),
            };
            if drop > 38 {
                1
            } else {
                let divisor = 10i128.pow(drop);
                let q = numerator / divisor;
                if numerator % divisor == 0 {
                    q
                } else {
                    q + 1
                }
            }
        };
        let mut nanos = nanos;
        if format == Format::BinarySI && nanos > MAX_ALLOWED_NANOS {
            nanos = MAX_ALLOWED_NANOS;
        }
        if format == Format::BinarySI && nanos > 0 && nanos < NANO {
            // "This avoids rounding and hopefully confusion, too."
            format = Format::DecimalSI;
        }
        Ok(Quantity {
            nanos: if positive { nanos } else { -nanos },
            format,
        })
    }

    pub fn from_nanos(nanos: i128, format: Format) -> Quantity {
        Quantity { nanos, format }
    }

    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// `MilliValue`: ceil(q × 1000), rounding away from zero.
    pub fn milli_value(&self) -> i128 {
        div_away(self.nanos, 1_000_000)
    }

    /// `Value`: the value rounded up to the nearest integer away from zero.
    pub fn value(&self) -> i128 {
        div_away(self.nanos, NANO)
    }

    /// `RoundUp(-3)` as API defaulting applies it to every resource list value
    /// (pkg/apis/core/v1/defaults.go `SetDefaults_ResourceList`).
    pub fn round_up_milli(&self) -> Quantity {
        Quantity {
            nanos: div_away(self.nanos, 1_000_000) * 1_000_000,
            format: self.format,
        }
    }

    /// `Add`: the sum keeps this quantity's format unless this one is zero.
    pub fn add(&self, other: &Quantity) -> Quantity {
        let format = if self.nanos == 0 {
            other.format
        } else {
            self.format
        };
        Quantity {
            nanos: self.nanos.saturating_add(other.nanos),
            format,
        }
    }

    pub fn sub(&self, other: &Quantity) -> Quantity {
        let format = if self.nanos == 0 {
            other.format
        } else {
            self.format
        };
        Quantity {
            nanos: self.nanos.saturating_sub(other.nanos),
            format,
        }
    }

    pub fn mul(&self, n: i128) -> Quantity {
        Quantity {
            nanos: self.nanos.saturating_mul(n),
            format: self.format,
        }
    }

    /// The canonical string (`String()` / `CanonicalizeBytes`).
    pub fn canonical(&self) -> String {
        if self.nanos == 0 {
            return "0".to_string();
        }
        let mut format = self.format;
        if format == Format::BinarySI && (self.nanos.abs() < 1024 * NANO || self.nanos % NANO != 0)
        {
            format = Format::DecimalSI;
        }
        let sign = if self.nanos < 0 { "-" } else { "" };
        let abs = self.nanos.unsigned_abs();
        match format {
            Format::BinarySI => {
                let mut n = abs / NANO as u128;
                let mut exp = 0;
                while n % 1024 == 0 && exp < 6 {
                    n /= 1024;
                    exp += 1;
                }
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exp];
                format!("{sign}{n}{suffix}")
            }
            Format::DecimalSI | Format::DecimalExponent => {
                // AsCanonicalBytes: move factors of ten into the exponent, then make it a multiple of 3.
                let mut m = abs;
                let mut exp: i32 = -9;
                while m % 10 == 0 {
                    m /= 10;
                    exp += 1;
                }
                while exp.rem_euclid(3) != 0 {
                    m *= 10;
                    exp -= 1;
                }
                let suffix = match (format, exp) {
                    (Format::DecimalSI, -9) => "n".to_string(),
                    (Format::DecimalSI, -6) => "u".to_string(),
                    (Format::DecimalSI, -3) => "m".to_string(),
                    (_, 0) => String::new(),
                    (Format::DecimalSI, 3) => "k".to_string(),
                    (Format::DecimalSI, 6) => "M".to_string(),
                    (Format::DecimalSI, 9) => "G".to_string(),
                    (Format::DecimalSI, 12) => "T".to_string(),
                    (Format::DecimalSI, 15) => "P".to_string(),
                    (Format::DecimalSI, 18) => "E".to_string(),
                    // DecimalSI has no suffix past E: upstream falls back to an exponent.
                    (_, e) => format!("e{e}"),
                };
                format!("{sign}{m}{suffix}")
            }
        }
    }

    /// A short human reading: cores for cpu, bytes with a binary unit for memory-like resources.
    pub fn human(&self, resource: &str) -> String {
        if resource == "cpu" {
            let m = self.milli_value();
            if m % 1000 == 0 {
                let cores = m / 1000;
                return format!("{} core{}", cores, if cores == 1 { "" } else { "s" });
            }
            return format!("{m}m");
        }
        self.canonical()
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

fn div_away(n: i128, d: i128) -> i128 {
    let q = n / d;
    if n % d == 0 {
        q
    } else if n > 0 {
        q + 1
    } else {
        q - 1
    }
}

/// parseQuantityString: sign, integer digits (leading zeros dropped), fraction digits, suffix.
fn split(s: &str) -> Result<(bool, &str, &str, &str), QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    match b[0] {
        b'-' => {
            positive = false;
            pos += 1
        }
        b'+' => pos += 1,
        _ => {}
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok((positive, "0", "", ""));
    }
    let num_start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let num = if pos == num_start {
        "0"
    } else {
        &s[num_start..pos]
    };
    let mut denom = "";
    if pos < end && b[pos] == b'.' {
        pos += 1;
        let start = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[start..pos];
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::Format);
    }
    Ok((positive, num, denom, &s[suffix_start..]))
}

/// A quantity as the output shows it: canonical form and `MilliValue()`.
pub fn quantity_out(q: &Quantity) -> crate::model::QuantityOut {
    crate::model::QuantityOut {
        quantity: q.canonical(),
        milli: q.milli_value(),
    }
}

/// A difference of `milli` thousandths of a unit of `resource` in words: cpu in millicores
/// ("250m"), whole mebibytes as "NMi", anything else in bytes ("1500 bytes").
pub fn milli_delta_text(resource: &str, milli: i128) -> String {
    const MEBI_MILLI: i128 = 1024 * 1024 * 1000;
    if resource == "cpu" {
        format!("{milli}m")
    } else if milli % MEBI_MILLI == 0 {
        format!("{}Mi", milli / MEBI_MILLI)
    } else {
        format!("{} bytes", milli / 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// value × 10^scale in nanos, as the upstream test helper decQuantity(value, scale, format)
    fn dec(value: i128, scale: i32, format: Format) -> Quantity {
        let nanos = if scale + 9 >= 0 {
            value * 10i128.pow((scale + 9) as u32)
        } else {
            value / 10i128.pow((-(scale + 9)) as u32)
        };
        Quantity { nanos, format }
    }

    // Ported from quantity_test.go TestQuantityParse (the table; each case is also checked with
    // an explicit '+' and negated, as upstream does).
    #[test]
    fn upstream_test_quantity_parse() {
        use Format::*;
        let table: Vec<(&str, Quantity)> = vec![
            ("0", dec(0, 0, DecimalSI)),
            ("0n", dec(0, 0, DecimalSI)),
            ("0u", dec(0, 0, DecimalSI)),
            ("0m", dec(0, 0, DecimalSI)),
            ("0Ki", dec(0, 0, BinarySI)),
            ("0k", dec(0, 0, DecimalSI)),
            ("0Mi", dec(0, 0, BinarySI)),
            ("0M", dec(0, 0, DecimalSI)),
            ("0Gi", dec(0, 0, BinarySI)),
            ("0G", dec(0, 0, DecimalSI)),
            ("0Ti", dec(0, 0, BinarySI)),
            ("0T", dec(0, 0, DecimalSI)),
            ("1", dec(1, 0, DecimalSI)),
            ("1Ki", dec(1024, 0, BinarySI)),
            ("8Ki", dec(8 * 1024, 0, BinarySI)),
            ("7Mi", dec(7 * 1024 * 1024, 0, BinarySI)),
            ("6Gi", dec(6 * 1024 * 1024 * 1024, 0, BinarySI)),
            ("5Ti", dec(5 * 1024i128.pow(4), 0, BinarySI)),
            ("4Pi", dec(4 * 1024i128.pow(5), 0, BinarySI)),
            ("3Ei", dec(3 * 1024i128.pow(6), 0, BinarySI)),
            ("10Ti", dec(10 * 1024i128.pow(4), 0, BinarySI)),
            ("100Ti", dec(100 * 1024i128.pow(4), 0, BinarySI)),
            ("5n", dec(5, -9, DecimalSI)),
            ("4u", dec(4, -6, DecimalSI)),
            ("3m", dec(3, -3, DecimalSI)),
            ("9", dec(9, 0, DecimalSI)),
            ("8k", dec(8, 3, DecimalSI)),
            ("50k", dec(5, 4, DecimalSI)),
            ("7M", dec(7, 6, DecimalSI)),
            ("6G", dec(6, 9, DecimalSI)),
            ("5T", dec(5, 12, DecimalSI)),
            ("40T", dec(4, 13, DecimalSI)),
            ("300T", dec(3, 14, DecimalSI)),
            ("2P", dec(2, 15, DecimalSI)),
            ("1E", dec(1, 18, DecimalSI)),
            ("1E-3", dec(1, -3, DecimalExponent)),
            ("1e3", dec(1, 3, DecimalExponent)),
            ("1E6", dec(1, 6, DecimalExponent)),
            ("1e9", dec(1, 9, DecimalExponent)),
            ("1E12", dec(1, 12, DecimalExponent)),
            ("1e15", dec(1, 15, DecimalExponent)),
            ("1E18", dec(1, 18, DecimalExponent)),
            ("1e14", dec(1, 14, DecimalExponent)),
            ("1e13", dec(1, 13, DecimalExponent)),
            ("100.035k", dec(100035, 0, DecimalSI)),
            ("0.001", dec(1, -3, DecimalSI)),
            ("0.0005k", dec(5, -1, DecimalSI)),
            ("0.005", dec(5, -3, DecimalSI)),
            ("0.05", dec(5, -2, DecimalSI)),
            ("0.5", dec(5, -1, DecimalSI)),
            ("0.00050k", dec(5, -1, DecimalSI)),
            ("0.00500", dec(5, -3, DecimalSI)),
            ("0.05000", dec(5, -2, DecimalSI)),
            ("0.50000", dec(5, -1, DecimalSI)),
            ("0.5e0", dec(5, -1, DecimalExponent)),
            ("0.5e-1", dec(5, -2, DecimalExponent)),
            ("0.5e-2", dec(5, -3, DecimalExponent)),
            ("10.035M", dec(10035, 3, DecimalSI)),
            ("1.2e3", dec(12, 2, DecimalExponent)),
            ("1.3E+6", dec(13, 5, DecimalExponent)),
            ("1.40e9", dec(14, 8, DecimalExponent)),
            ("1.53E12", dec(153, 10, DecimalExponent)),
            ("1.6e15", dec(16, 14, DecimalExponent)),
            ("1.7E18", dec(17, 17, DecimalExponent)),
            ("9.01", dec(901, -2, DecimalSI)),
            ("8.1k", dec(81, 2, DecimalSI)),
            ("7.123456M", dec(7123456, 0, DecimalSI)),
            ("6.987654321G", dec(6987654321, 0, DecimalSI)),
            ("5.444T", dec(5444, 9, DecimalSI)),
            ("40.1T", dec(401, 11, DecimalSI)),
            ("300.2T", dec(3002, 11, DecimalSI)),
            ("2.5P", dec(25, 14, DecimalSI)),
            ("1.01E", dec(101, 16, DecimalSI)),
            ("3.001n", dec(4, -9, DecimalSI)),
            ("1.1E-9", dec(2, -9, DecimalExponent)),
            ("0.0000000001", dec(1, -9, DecimalSI)),
            ("0.0000000005", dec(1, -9, DecimalSI)),
            ("0.00000000050", dec(1, -9, DecimalSI)),
            ("0.5e-9", dec(1, -9, DecimalExponent)),
            ("0.9n", dec(1, -9, DecimalSI)),
            ("0.00000012345", dec(124, -9, DecimalSI)),
            ("0.00000012354", dec(124, -9, DecimalSI)),
            (
                "9Ei",
                Quantity {
                    nanos: MAX_ALLOWED_NANOS,
                    format: BinarySI,
                },
            ),
            (
                "9223372036854775807Ki",
                Quantity {
                    nanos: MAX_ALLOWED_NANOS,
                    format: BinarySI,
                },
            ),
            ("12E", dec(12, 18, DecimalSI)),
            ("100.035Ki", dec(10243584, -2, BinarySI)),
            ("0.5Mi", dec(512 * 1024, 0, BinarySI)),
            ("0.05Gi", dec(536870912, -1, BinarySI)),
            ("0.025Ti", dec(274877906944, -1, BinarySI)),
            ("0.000000000001Ki", dec(2, -9, DecimalSI)),
            (".001", dec(1, -3, DecimalSI)),
            (".0001k", dec(100, -3, DecimalSI)),
            ("1.", dec(1, 0, DecimalSI)),
            ("1.G", dec(1, 9, DecimalSI)),
        ];
        for (input, expect) in &table {
            for prefix in ["", "+"] {
                let got = q(&format!("{prefix}{input}"));
                assert_eq!(got.nanos, expect.nanos, "{prefix}{input}");
                assert_eq!(got.format, expect.format, "{prefix}{input} format");
            }
            let neg = q(&format!("-{input}"));
            assert_eq!(neg.nanos, -expect.nanos, "-{input}");
            assert_eq!(neg.format, expect.format, "-{input} format");
        }
    }

    // quantity_test.go TestQuantityParse, the invalid list, plus the empty string.
    #[test]
    fn upstream_invalid_quantities_are_rejected() {
        for bad in [
            "1.1.M",
            "1+1.0M",
            "0.1mi",
            "0.1am",
            "aoeu",
            ".5i",
            "1i",
            "-3.01i",
            "-3.01e-",
            " 1",
            "1 ",
            "",
            "Non-Numeric",
            "lots",
        ] {
            assert!(Quantity::parse(bad).is_err(), "{bad:?} parsed unexpectedly");
        }
    }

    // quantity_test.go TestQuantityString (expect and alternate spellings) and TestQuantityParseEmit.
    #[test]
    fn upstream_canonical_forms() {
        use Format::*;
        let table: Vec<(Quantity, &str, &str)> = vec![
            (dec(1024 * 1024 * 1024, 0, BinarySI), "1Gi", "1024Mi"),
            (dec(300 * 1024 * 1024, 0, BinarySI), "300Mi", "307200Ki"),
            (dec(6 * 1024, 0, BinarySI), "6Ki", ""),
            (
                dec(1001 * 1024 * 1024 * 1024, 0, BinarySI),
                "1001Gi",
                "1025024Mi",
            ),
            (dec(1024i128.pow(4), 0, BinarySI), "1Ti", "1024Gi"),
            (dec(5, 0, BinarySI), "5", "5000m"),
            (dec(500, -3, BinarySI), "500m", "0.5"),
            (dec(1, 9, DecimalSI), "1G", "1000M"),
            (dec(1000, 6, DecimalSI), "1G", "0.001T"),
            (dec(1000000, 3, DecimalSI), "1G", ""),
            (dec(1000000000, 0, DecimalSI), "1G", ""),
            (dec(1, -3, DecimalSI), "1m", "1000u"),
            (dec(80, -3, DecimalSI), "80m", ""),
            (dec(1080, -3, DecimalSI), "1080m", "1.08"),
            (dec(108, -2, DecimalSI), "1080m", "1080000000n"),
            (dec(10800, -4, DecimalSI), "1080m", ""),
            (dec(300, 6, DecimalSI), "300M", ""),
            (dec(1, 12, DecimalSI), "1T", ""),
            (dec(1234567, 6, DecimalSI), "1234567M", ""),
            (dec(1234567, -3, BinarySI), "1234567m", ""),
            (dec(3, 3, DecimalSI), "3k", ""),
            (dec(1025, 0, BinarySI), "1025", ""),
            (dec(0, 0, DecimalSI), "0", ""),
            (dec(0, 0, BinarySI), "0", ""),
            (dec(1, 9, DecimalExponent), "1e9", ".001e12"),
            (dec(1, -3, DecimalExponent), "1e-3", "0.001e0"),
            (dec(1, -9, DecimalExponent), "1e-9", "1000e-12"),
            (dec(80, -3, DecimalExponent), "80e-3", ""),
            (dec(300, 6, DecimalExponent), "300e6", ""),
            (dec(1, 12, DecimalExponent), "1e12", ""),
            (dec(1, 3, DecimalExponent), "1e3", ""),
            (dec(3, 3, DecimalExponent), "3e3", ""),
            (dec(3, 3, DecimalSI), "3k", ""),
            (dec(0, 0, DecimalExponent), "0", "00"),
            (dec(1, -9, DecimalSI), "1n", ""),
            (dec(80, -9, DecimalSI), "80n", ""),
            (dec(1080, -9, DecimalSI), "1080n", ""),
            (dec(1, -6, DecimalSI), "1u", ""),
            (dec(80, -6, DecimalSI), "80u", ""),
            (dec(1080, -6, DecimalSI), "1080u", ""),
        ];
        for (quantity, expect, alternate) in &table {
            assert_eq!(quantity.canonical(), *expect);
            assert_eq!(q(expect).canonical(), *expect, "{expect} re-parsed");
            if !alternate.is_empty() {
                assert_eq!(q(alternate).canonical(), *expect, "alternate {alternate}");
            }
            if !quantity.is_zero() {
                assert_eq!(quantity.mul(-1).canonical(), format!("-{expect}"));
            }
        }
        for (input, expect) in [
            ("1Ki", "1Ki"),
            ("1Mi", "1Mi"),
            ("1Gi", "1Gi"),
            ("1024Mi", "1Gi"),
            ("1000M", "1G"),
            (".001Ki", "1024m"),
            (".000001Ki", "1024u"),
            (".000000001Ki", "1024n"),
            (".000000000001Ki", "2n"),
        ] {
            assert_eq!(q(input).canonical(), expect, "{input}");
            assert_eq!(
                q(&format!("-{input}")).canonical(),
                format!("-{expect}"),
                "-{input}"
            );
        }
    }

    #[test]
    fn decimal_si_past_exa_falls_back_to_an_exponent() {
        // quantity.go CanonicalizeBytes: "1000E" must not serialise as "1"
        assert_eq!(q("1000E").canonical(), "1e21");
    }

    // quantity_test.go TestScaledValue: 1n, 1u and 1m all have MilliValue 1 and Value 1.
    #[test]
    fn upstream_milli_and_value_round_up() {
        for s in ["1n", "1u", "1m"] {
            assert_eq!(q(s).milli_value(), 1, "{s}");
            assert_eq!(q(s).value(), 1, "{s}");
        }
        assert_eq!(q("1").milli_value(), 1000);
        assert_eq!(q("1.5Gi").value(), 1610612736);
        assert_eq!(q("128Mi").milli_value(), 134217728000);
    }

    /// issue 14 asks for 8Ei + 8Ei = 16Ei, but upstream caps every binary-suffixed quantity at
    /// 2^63 - 1 when it is parsed (quantity.go ParseQuantity: "The max is just a simple cap"),
    /// so `8Ei` is 9223372036854775807 and two of them sum to 2^64 - 2 there too; the sum
    /// itself is exact past 64 bits (inf.Dec upstream, i128 here).
    #[test]
    fn eight_exbibytes_are_capped_when_parsed_as_upstream_and_summed_exactly() {
        let e = q("8Ei");
        assert_eq!(e.value(), i64::MAX as i128);
        let sum = e.add(&e);
        assert_eq!(sum.value(), 2 * (i64::MAX as i128));
        assert_eq!(sum.canonical(), "18446744073709551614");
        // Below the cap nothing is lost: 4Ei + 4Ei is exactly 8Ei, past i64.
        let four = q("4Ei");
        assert_eq!(four.add(&four).add(&four).canonical(), "12Ei");
        // Decimal values are not capped: 9E + 9E = 18E.
        assert_eq!(q("9E").add(&q("9E")).canonical(), "18E");
    }

    // quantity_test.go TestAdd, and TestQuantityAddZeroPreservesSuffix
    #[test]
    fn upstream_add_keeps_the_first_non_zero_format() {
        use Format::*;
        assert_eq!(
            dec(10, 0, DecimalSI).add(&dec(1, 1, DecimalSI)),
            dec(20, 0, DecimalSI)
        );
        assert_eq!(
            dec(10, 0, BinarySI).add(&dec(1, 0, DecimalSI)).format,
            BinarySI
        );
        assert_eq!(
            dec(10, 0, DecimalSI).add(&dec(1, 0, BinarySI)).format,
            DecimalSI
        );
        for s in ["100m", "1Gi"] {
            assert_eq!(q(s).add(&Quantity::ZERO).canonical(), s);
            assert_eq!(Quantity::ZERO.add(&q(s)).canonical(), s);
        }
    }

    // pkg/apis/core/v1/defaults.go SetDefaults_ResourceList: RoundUp(-3)
    #[test]
    fn api_defaulting_rounds_up_to_milli() {
        assert_eq!(q("0.1m").round_up_milli().canonical(), "1m");
        assert_eq!(q("100u").round_up_milli().canonical(), "1m");
        assert_eq!(q("1.5").round_up_milli().canonical(), "1500m");
        assert_eq!(q("1Gi").round_up_milli().canonical(), "1Gi");
    }

    #[test]
    fn absurd_values_are_refused_not_wrapped() {
        assert_eq!(Quantity::parse("1e100"), Err(QuantityError::TooLarge));
        assert_eq!(
            Quantity::parse("99999999999999999999999999999999999999999"),
            Err(QuantityError::TooLarge)
        );
        assert!(Quantity::parse("1e99999999999999999999").is_err());
        // BinarySI saturates at 2^63-1 instead, as upstream caps it.
        assert_eq!(
            q("99999999999999999999999999999Ei").nanos,
            MAX_ALLOWED_NANOS
        );
    }

    #[test]
    fn a_difference_reads_in_millicores_mebibytes_or_bytes() {
        assert_eq!(milli_delta_text("cpu", 250), "250m");
        assert_eq!(milli_delta_text("memory", 64 * 1024 * 1024 * 1000), "64Mi");
        assert_eq!(milli_delta_text("memory", 1_500_000), "1500 bytes");
        assert_eq!(milli_delta_text("ephemeral-storage", 0), "0Mi");
    }
}
