//! `serde` for generated types (feature `serde`), in the service's own JSON form: the form of boto3's parameter
//! dictionaries and of `aws ... --cli-input-json` files.
//!
//! Generated code derives `Serialize` and `Deserialize` and calls on this module for what a derive cannot say:
//!
//! * timestamps are epoch seconds ([`epoch_seconds`]): an integer when the time has no fraction of a second, else
//!   a float, as the awsJson protocol writes them. Reading also takes an ISO 8601 string, as the AWS CLI does;
//! * enums are their strings, and a value this version does not know comes back as it went in
//!   ([`string_enum!`](crate::string_enum), over [`UnknownVariant`]);
//! * a union is an object with one key, and a member this version does not know is kept, name and value, and
//!   written back the same way ([`UnknownMember`]).

use crate::error::{UnknownMember, UnknownVariant};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

// Public only for `string_enum!`, which generated crates expand: its expansion reaches serde through `$crate`,
// whatever name the calling crate gives its own serde dependency.
#[doc(hidden)]
pub use serde as __serde;

/// `#[serde(with = "lean_aws_runtime::serde_support::epoch_seconds")]`: a [`DateTime`] as epoch seconds.
pub mod epoch_seconds {
    use super::*;

    /// Writes `t` as epoch seconds: an integer, or a float where there is a fraction of a second.
    pub fn serialize<S: Serializer>(t: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        if t.subsec_nanos() == 0 {
            s.serialize_i64(t.secs())
        } else {
            s.serialize_f64(t.as_secs_f64())
        }
    }

    /// Reads epoch seconds (an integer or a float), or an ISO 8601 string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        d.deserialize_any(EpochSeconds)
    }

    /// The same for an `Option<DateTime>` member (`None` is written as nothing, read from `null` or a missing key).
    pub mod option {
        use super::*;

        /// Writes `Some(t)` as epoch seconds, `None` as `null` (generated members skip it instead).
        pub fn serialize<S: Serializer>(t: &Option<DateTime>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        /// Reads `null` as `None`, anything else as [`epoch_seconds::deserialize`](super::deserialize) does.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime>, D::Error> {
            d.deserialize_option(OptionalEpochSeconds)
        }
    }
}

struct EpochSeconds;

impl Visitor<'_> for EpochSeconds {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp: epoch seconds, or an ISO 8601 string")
    }

    fn visit_i64<E: de::Error>(self, secs: i64) -> Result<DateTime, E> {
        Ok(DateTime::from_secs(secs))
    }

    fn visit_u64<E: de::Error>(self, secs: u64) -> Result<DateTime, E> {
        i64::try_from(secs)
            .map(DateTime::from_secs)
            .map_err(|_| E::custom(format!("timestamp {secs} is out of range")))
    }

    fn visit_f64<E: de::Error>(self, secs: f64) -> Result<DateTime, E> {
        // The range the protocol's decoder accepts: years far beyond 9999 either way, and never NaN.
        if secs.is_finite() && secs.abs() <= 1e15 {
            Ok(DateTime::from_secs_f64(secs))
        } else {
            Err(E::custom(format!("timestamp {secs} is out of range")))
        }
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime, E> {
        DateTime::from_str(text, Format::DateTimeWithOffset)
            .map_err(|e| E::custom(format!("invalid timestamp {text:?}: {e}")))
    }
}

struct OptionalEpochSeconds;

impl<'de> Visitor<'de> for OptionalEpochSeconds {
    type Value = Option<DateTime>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        epoch_seconds::deserialize(d).map(Some)
    }
}

/// `Serialize` and `Deserialize` for a generated enum, as its string: `as_str()` out, `From<String>` in (which
/// keeps a value this version does not know as `Unknown`).
#[macro_export]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
macro_rules! string_enum {
    ($ty:ty) => {
        impl $crate::serde_support::__serde::Serialize for $ty {
            fn serialize<S: $crate::serde_support::__serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::serde_support::__serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::serde_support::__serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <String as $crate::serde_support::__serde::Deserialize>::deserialize(d).map(Self::from)
            }
        }
    };
}

/// The value as received.
impl Serialize for UnknownVariant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UnknownVariant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|v| UnknownVariant::new(&v))
    }
}

/// A one-key object, `{ name: value }`: the union's form, so that a generated union's `Unknown` variant (marked
/// `#[serde(untagged)]`) writes the member back as it was read.
impl Serialize for UnknownMember {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.name(), self.value())?;
        map.end()
    }
}

/// Reads a one-key object; any other number of keys is an error, as a union holds exactly one member.
impl<'de> Deserialize<'de> for UnknownMember {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(OneKey)
    }
}

struct OneKey;

impl<'de> Visitor<'de> for OneKey {
    type Value = UnknownMember;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with exactly one key (a union member)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UnknownMember, A::Error> {
        let Some((name, value)) = map.next_entry::<String, serde_json::Value>()? else {
            return Err(de::Error::custom("a union needs one member, found none"));
        };
        if let Some(other) = map.next_key::<String>()? {
            return Err(de::Error::custom(format!(
                "a union holds one member, found {name:?} and {other:?}"
            )));
        }
        Ok(UnknownMember::new(&name, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct At {
        #[serde(with = "epoch_seconds")]
        t: DateTime,
        #[serde(with = "epoch_seconds::option", default, skip_serializing_if = "Option::is_none")]
        maybe: Option<DateTime>,
    }

    #[test]
    fn timestamps_are_epoch_seconds_whole_or_fractional() {
        let at = At {
            t: DateTime::from_secs(1_700_000_000),
            maybe: Some(DateTime::from_secs_f64(1.5)),
        };
        let text = serde_json::to_value(&at).unwrap();
        assert_eq!(text, json!({"t": 1_700_000_000, "maybe": 1.5}));
        assert_eq!(serde_json::from_value::<At>(text).unwrap(), at);
    }

    #[test]
    fn an_absent_or_null_optional_timestamp_is_none_and_is_not_written() {
        for text in [json!({"t": 0}), json!({"t": 0, "maybe": null})] {
            let at: At = serde_json::from_value(text).unwrap();
            assert_eq!(at.maybe, None);
            assert_eq!(serde_json::to_value(&at).unwrap(), json!({"t": 0}));
        }
    }

    #[test]
    fn timestamps_also_read_iso_8601_and_reject_the_rest() {
        let at: At = serde_json::from_value(json!({"t": "2023-11-14T22:13:20Z"})).unwrap();
        assert_eq!(at.t, DateTime::from_secs(1_700_000_000));
        for bad in [json!({"t": "yesterday"}), json!({"t": true}), json!({"t": 1e300})] {
            let err = serde_json::from_value::<At>(bad.clone()).unwrap_err().to_string();
            assert!(err.contains("timestamp"), "{bad}: {err}");
        }
    }

    #[test]
    fn an_unknown_variant_is_its_string() {
        let v = UnknownVariant::new("FUTURE_STATE");
        assert_eq!(serde_json::to_value(&v).unwrap(), json!("FUTURE_STATE"));
        assert_eq!(
            serde_json::from_value::<UnknownVariant>(json!("FUTURE_STATE")).unwrap(),
            v
        );
    }

    #[test]
    fn an_unknown_member_is_a_one_key_object_both_ways() {
        let text = json!({"FutureMember": {"A": [1, 2]}});
        let m: UnknownMember = serde_json::from_value(text.clone()).unwrap();
        assert_eq!(m.name(), "FutureMember");
        assert_eq!(m.value(), &json!({"A": [1, 2]}));
        assert_eq!(serde_json::to_value(&m).unwrap(), text);
        for bad in [json!({}), json!({"A": 1, "B": 2}), json!("A")] {
            assert!(serde_json::from_value::<UnknownMember>(bad.clone()).is_err(), "{bad}");
        }
    }
}
