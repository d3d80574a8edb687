//! Reading configuration from environment variables: the one helper every settings struct of
//! both servers goes through (`DatabaseConfig::from_env(&env)`, ...), so that every variable
//! is read, trimmed, parsed and reported the same way.
//!
//! Parsing is pure over an [`Env`]: [`Env::process`] reads the process environment (the
//! only place this crate touches the world, once at start-up), [`Env::from_pairs`] gives a
//! fixed set of values to tests and tools, which never need to mutate the process's
//! environment.
//!
//! Errors name the variable, what was found and what is expected; they must never carry
//! the value of a secret: secrets come back as [`SecretString`] and their errors describe,
//! never quote.

use secrecy::SecretString;
use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::time::Duration;

/// A variable that is missing or malformed. The message names the variable, what was found
/// (never a secret's value) and what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvError {
    #[error("{name} is not set: {expected}")]
    Missing { name: String, expected: String },
    #[error("{name} must be {expected}, got {found}")]
    Invalid {
        name: String,
        found: String,
        expected: String,
    },
    #[error("{name} is not valid UTF-8 text")]
    NotUnicode { name: String },
}

impl EnvError {
    /// A variable that must be set and is not; `expected` says what to put there.
    pub fn missing(name: &str, expected: impl Into<String>) -> Self {
        Self::Missing {
            name: name.to_owned(),
            expected: expected.into(),
        }
    }

    /// A set but unusable value, quoted in the message. Never pass a secret's value here:
    /// use [`EnvError::invalid_secret`].
    pub fn invalid(name: &str, found: &str, expected: impl Into<String>) -> Self {
        Self::Invalid {
            name: name.to_owned(),
            found: format!("`{found}`"),
            expected: expected.into(),
        }
    }

    /// An unusable secret: the message says what is expected and that the value is not
    /// shown.
    pub fn invalid_secret(name: &str, expected: impl Into<String>) -> Self {
        Self::Invalid {
            name: name.to_owned(),
            found: "something else (the value is secret and not shown)".to_owned(),
            expected: expected.into(),
        }
    }

    /// The variable this error is about.
    pub fn name(&self) -> &str {
        match self {
            Self::Missing { name, .. } | Self::Invalid { name, .. } | Self::NotUnicode { name } => {
                name
            }
        }
    }
}

/// The unit a duration variable is written in (its name says so: `…_MS`, `…_MINUTES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Milliseconds,
    Seconds,
    Minutes,
}

impl TimeUnit {
    fn duration(self, n: u64) -> Duration {
        match self {
            Self::Milliseconds => Duration::from_millis(n),
            Self::Seconds => Duration::from_secs(n),
            Self::Minutes => Duration::from_secs(n.saturating_mul(60)),
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Self::Milliseconds => "milliseconds",
            Self::Seconds => "seconds",
            Self::Minutes => "minutes",
        }
    }
}

type Lookup = dyn Fn(&str) -> Option<OsString> + Send + Sync;

/// Where variables are read from. A value that is empty or only whitespace counts as unset;
/// values are trimmed.
pub struct Env {
    lookup: Box<Lookup>,
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the values: some are secrets.
        f.debug_struct("Env").finish_non_exhaustive()
    }
}

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Self {
            lookup: Box::new(|name| std::env::var_os(name)),
        }
    }

    /// A fixed set of variables (tests, tools); anything else is unset.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let vars: HashMap<String, OsString> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), OsString::from(v.into())))
            .collect();
        Self {
            lookup: Box::new(move |name| vars.get(name).cloned()),
        }
    }

    /// The trimmed value, `None` when unset or blank.
    pub fn optional(&self, name: &str) -> Result<Option<String>, EnvError> {
        let Some(raw) = (self.lookup)(name) else {
            return Ok(None);
        };
        let value = raw.into_string().map_err(|_| EnvError::NotUnicode {
            name: name.to_owned(),
        })?;
        let value = value.trim();
        Ok((!value.is_empty()).then(|| value.to_owned()))
    }

    /// The value, or `default` when unset.
    pub fn string_or(&self, name: &str, default: &str) -> Result<String, EnvError> {
        Ok(self.optional(name)?.unwrap_or_else(|| default.to_owned()))
    }

    /// The value; when unset, an error that says what `expected` is (a hint to fix it).
    pub fn required(&self, name: &str, expected: &str) -> Result<String, EnvError> {
        self.optional(name)?
            .ok_or_else(|| EnvError::missing(name, expected))
    }

    /// A number within `range`, or `default` when unset.
    pub fn number<T>(&self, name: &str, range: RangeInclusive<T>, default: T) -> Result<T, EnvError>
    where
        T: FromStr + PartialOrd + fmt::Display,
    {
        let Some(value) = self.optional(name)? else {
            return Ok(default);
        };
        value
            .parse::<T>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                EnvError::invalid(
                    name,
                    &value,
                    format!("a number from {} to {}", range.start(), range.end()),
                )
            })
    }

    /// A whole number of `unit`s within `range`, or `default` (in `unit`s) when unset.
    pub fn duration(
        &self,
        name: &str,
        unit: TimeUnit,
        range: RangeInclusive<u64>,
        default: u64,
    ) -> Result<Duration, EnvError> {
        let Some(value) = self.optional(name)? else {
            return Ok(unit.duration(default));
        };
        value
            .parse::<u64>()
            .ok()
            .filter(|n| range.contains(n))
            .map(|n| unit.duration(n))
            .ok_or_else(|| {
                EnvError::invalid(
                    name,
                    &value,
                    format!(
                        "a whole number of {} from {} to {}",
                        unit.plural(),
                        range.start(),
                        range.end()
                    ),
                )
            })
    }

    /// A switch: `1`, `true`, `yes` or `0`, `false`, `no` (any case); `default` when unset.
    /// Anything else is an error, not a silent "off".
    pub fn flag(&self, name: &str, default: bool) -> Result<bool, EnvError> {
        let Some(value) = self.optional(name)? else {
            return Ok(default);
        };
        match value.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" => Ok(true),
            "0" | "false" | "no" => Ok(false),
            _ => Err(EnvError::invalid(
                name,
                &value,
                "1, true or yes to turn it on, 0, false or no to turn it off",
            )),
        }
    }

    /// A secret (a key, or a URL that may carry credentials), `None` when unset.
    pub fn secret(&self, name: &str) -> Result<Option<SecretString>, EnvError> {
        Ok(self.optional(name)?.map(SecretString::from))
    }

    /// A secret that must be set; the error says what `expected` is.
    pub fn required_secret(&self, name: &str, expected: &str) -> Result<SecretString, EnvError> {
        self.secret(name)?
            .ok_or_else(|| EnvError::missing(name, expected))
    }

    /// Comma-separated secrets (several while rotating), each trimmed; empty when unset.
    pub fn secret_list(&self, name: &str) -> Result<Vec<SecretString>, EnvError> {
        Ok(self
            .optional(name)?
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| SecretString::from(s.to_owned()))
                    .collect()
            })
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    const SECRET: &str = "postgres://app:hunter2-very-secret@db.internal:5432/krafto";

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().map(|(k, v)| (*k, *v)))
    }

    #[test]
    fn a_bad_number_names_the_variable_the_value_and_the_range() {
        let e = env(&[("KRAFTO_DB_POOL_SIZE", "lots")])
            .number("KRAFTO_DB_POOL_SIZE", 1..=1000, 16usize)
            .unwrap_err();
        assert_eq!(e.name(), "KRAFTO_DB_POOL_SIZE");
        assert_eq!(
            e.to_string(),
            "KRAFTO_DB_POOL_SIZE must be a number from 1 to 1000, got `lots`"
        );
    }

    #[test]
    fn a_number_out_of_range_is_refused_and_an_unset_one_takes_the_default() {
        let e = env(&[("N", "0")])
            .number("N", 1..=1000, 16usize)
            .unwrap_err();
        assert!(e.to_string().contains("from 1 to 1000, got `0`"), "{e}");
        assert_eq!(env(&[]).number("N", 1..=1000, 16usize), Ok(16));
        assert_eq!(env(&[("N", "  ")]).number("N", 1..=1000, 16usize), Ok(16));
        assert_eq!(env(&[("N", " 42 ")]).number("N", 1..=1000, 16usize), Ok(42));
    }

    #[test]
    fn booleans_accept_the_six_spellings_in_any_case_and_refuse_anything_else() {
        for on in ["1", "true", "yes", "TRUE", "Yes"] {
            assert_eq!(env(&[("F", on)]).flag("F", false), Ok(true), "{on}");
        }
        for off in ["0", "false", "no", "FALSE", "No"] {
            assert_eq!(env(&[("F", off)]).flag("F", true), Ok(false), "{off}");
        }
        assert_eq!(env(&[]).flag("F", true), Ok(true));
        let e = env(&[("KRAFTO_TRUST_FORWARDED_FOR", "on")])
            .flag("KRAFTO_TRUST_FORWARDED_FOR", false)
            .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with("KRAFTO_TRUST_FORWARDED_FOR must be "),
            "{msg}"
        );
        assert!(msg.ends_with("got `on`"), "{msg}");
    }

    #[test]
    fn durations_are_read_in_their_unit_within_range() {
        let e = env(&[]);
        assert_eq!(
            e.duration("H", TimeUnit::Minutes, 1..=1440, 30),
            Ok(Duration::from_secs(1800))
        );
        assert_eq!(
            env(&[("P", "250")]).duration("P", TimeUnit::Milliseconds, 1..=60_000, 1000),
            Ok(Duration::from_millis(250))
        );
        let err = env(&[("KRAFTO_CHECKOUT_HOLD_MINUTES", "2000")])
            .duration(
                "KRAFTO_CHECKOUT_HOLD_MINUTES",
                TimeUnit::Minutes,
                1..=1440,
                30,
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "KRAFTO_CHECKOUT_HOLD_MINUTES must be a whole number of minutes from 1 to 1440, got `2000`"
        );
    }

    #[test]
    fn a_missing_required_variable_says_what_to_set() {
        let e = env(&[])
            .required("DATABASE_URL", "a Postgres URL, e.g. postgres://…")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "DATABASE_URL is not set: a Postgres URL, e.g. postgres://…"
        );
        let e = env(&[("KRAFTO_ROOT_KEY", "   ")])
            .required_secret("KRAFTO_ROOT_KEY", "64 hex characters")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "KRAFTO_ROOT_KEY is not set: 64 hex characters"
        );
    }

    #[test]
    fn a_secret_value_never_appears_in_debug_output_or_errors() {
        let env = env(&[
            ("DATABASE_URL", SECRET),
            ("HOOKS", &format!("{SECRET}, whsec_2")),
        ]);
        assert!(!format!("{env:?}").contains("hunter2"));
        let url = env.required_secret("DATABASE_URL", "a URL").unwrap();
        assert_eq!(url.expose_secret(), SECRET);
        assert!(!format!("{url:?}").contains("hunter2"), "{url:?}");
        let list = env.secret_list("HOOKS").unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].expose_secret(), "whsec_2");
        assert!(!format!("{list:?}").contains("hunter2"));
        assert!(!format!("{list:?}").contains("whsec_2"));
        let e = EnvError::invalid_secret("DATABASE_URL", "a postgres:// URL");
        assert!(!e.to_string().contains("hunter2"));
        assert!(!format!("{e:?}").contains("hunter2"));
        assert!(
            e.to_string()
                .starts_with("DATABASE_URL must be a postgres:// URL"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_value_that_is_not_utf8_is_an_error_without_the_value() {
        use std::os::unix::ffi::OsStringExt;
        let env = Env {
            lookup: Box::new(|_| Some(OsString::from_vec(vec![b's', 0xff, b'k']))),
        };
        let e = env.secret("STRIPE_SECRET_KEY").unwrap_err();
        assert_eq!(e.to_string(), "STRIPE_SECRET_KEY is not valid UTF-8 text");
    }
}
