//! Opaque keyset cursors: the sort key and id of the last result of a page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

/// Where the next page starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursor {
    pub key: f64,
    pub id: Uuid,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Wire {
    k: f64,
    i: Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(&Wire {
            k: self.key,
            i: self.id,
        })
        .unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(s.trim()).ok()?;
        let w: Wire = serde_json::from_slice(&bytes).ok()?;
        w.k.is_finite().then_some(Cursor { key: w.k, id: w.i })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        let c = Cursor {
            key: 1234.5,
            id: Uuid::now_v7(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(Cursor::decode(""), None);
    }
}
