//! Text-backed enums: the statuses (and like values) that are stored in `text` columns
//! under a CHECK constraint and named by a fixed lowercase text. One macro declares each of
//! them, so every such enum has the same `ALL`, `as_str`, `parse`, `Display`,
//! `TryFrom<String>` and `From<_> for String`, and — with the `diesel` feature, which
//! krafto-db turns on — reads and writes itself as `Text`, so models hold the enum and
//! queries bind it directly. Nothing else in the codebase spells these texts.

/// Declares a fieldless enum stored as text: `enum Name("what it is") { Variant = "text", }`.
/// The description names the value in the error for an unknown text
/// (``unknown order status `lost` ``). Rules (transitions and the like) go in a separate
/// `impl` next to the declaration.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "diesel", derive(
            ::diesel::expression::AsExpression,
            ::diesel::deserialize::FromSqlRow
        ))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = ::diesel::sql_types::Text))]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The stored text.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }

            /// The value a text names; an unknown text is an error that quotes it.
            pub fn parse(s: &str) -> Result<Self, $crate::Invalid> {
                match s {
                    $( $text => Ok($name::$variant), )+
                    other => Err($crate::Invalid::new(format!(
                        concat!("unknown ", $what, " `{}`"),
                        other
                    ))),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// How a stored value comes back: an unknown text is an error that names it.
        impl TryFrom<String> for $name {
            type Error = $crate::Invalid;

            fn try_from(s: String) -> Result<Self, $crate::Invalid> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.as_str().to_owned()
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB> for $name
        where
            DB: ::diesel::backend::Backend,
            str: ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut ::diesel::serialize::Output<'b, '_, DB>,
            ) -> ::diesel::serialize::Result {
                <str as ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> ::diesel::deserialize::FromSql<::diesel::sql_types::Text, DB> for $name
        where
            DB: ::diesel::backend::Backend,
            String: ::diesel::deserialize::FromSql<::diesel::sql_types::Text, DB>,
        {
            fn from_sql(
                bytes: <DB as ::diesel::backend::Backend>::RawValue<'_>,
            ) -> ::diesel::deserialize::Result<Self> {
                let s = <String as ::diesel::deserialize::FromSql<
                    ::diesel::sql_types::Text,
                    DB,
                >>::from_sql(bytes)?;
                Ok(Self::parse(&s)?)
            }
        }
    };
}

pub(crate) use text_enum;

#[cfg(test)]
#[expect(
    unreachable_pub,
    reason = "the macro gives every enum pub methods; this test enum is private"
)]
mod tests {
    text_enum! {
        /// A test enum.
        enum Light("light") {
            Red = "red",
            OutOfOrder = "out_of_order",
        }
    }

    #[test]
    fn every_value_round_trips_through_its_text_and_unknown_texts_are_named() {
        assert_eq!(Light::ALL, [Light::Red, Light::OutOfOrder]);
        for l in Light::ALL {
            assert_eq!(Light::parse(l.as_str()), Ok(l));
            assert_eq!(Light::try_from(String::from(l)), Ok(l));
            assert_eq!(l.to_string(), l.as_str());
        }
        assert_eq!(Light::OutOfOrder.as_str(), "out_of_order");
        let err = Light::parse("green").unwrap_err();
        assert_eq!(err.to_string(), "unknown light `green`");
    }
}
