//! What a row of the answers table is (`Spec`: key, flag, help, prompt, choices, shape, when
//! asked, when recorded) and the `answer_table!` macro that derives `Field`, its `Spec`, the
//! typed `Answers` and the partial `Preview` from the rows in `table.rs`.

use super::raw::Shape;

/// How the wizard decides whether to ask a question at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Always, unless a flag or the answers file settled it.
    Always,
    /// Only when the kind chosen before serves HTTP.
    WhenServingHttp,
    /// Only when the kind chosen before is `mcp`.
    WhenMcp,
    /// For `new`, and for `init` on a project that keeps GitHub workflows (`.github/workflows/`).
    WhenGithubWorkflows,
    /// Never: derived from the other answers, or a rarely needed expert answer (a flag or the
    /// answers file may still set it).
    Never,
}

/// Everything about an answer that is not its value.
#[derive(Debug)]
pub struct Spec {
    /// Key in `.dockwright.toml`'s `[answers]` table (and the clap argument id).
    pub key: &'static str,
    /// The long flag, without `--`.
    pub flag: &'static str,
    /// Placeholder in `--help`.
    pub value_name: &'static str,
    /// One line of `--help`.
    pub help: &'static str,
    /// The wizard's question.
    pub prompt: &'static str,
    /// Fixed choices (the wizard offers a list), or none (free text).
    pub choices: &'static [&'static str],
    /// How the raw value is written on the command line, in the answers file and in the record.
    pub shape: Shape,
    /// When the wizard asks it.
    pub ask: Ask,
    /// When `.dockwright.toml` records it.
    pub recorded: Record,
}

/// When an answer is recorded in `.dockwright.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// Always, whatever its origin.
    Always,
    /// Only when it was given (a flag, a wizard reply, the answers file). Otherwise it is
    /// derived from other answers or from the project (the package of the name, the ports of
    /// the kind, the command of the kind or the project's scripts, the base image of the Python
    /// version) and is derived again on a re-run, so it keeps following them
    /// (`init --python 3.11` after a 3.14 run changes the base image too).
    WhenGiven,
}

impl Record {
    /// Whether a value of this origin is recorded.
    pub fn keeps(self, origin: &crate::model::Origin) -> bool {
        match self {
            Record::Always => true,
            Record::WhenGiven => matches!(
                origin,
                crate::model::Origin::Flag
                    | crate::model::Origin::Typed
                    | crate::model::Origin::AnswersFile(_)
            ),
        }
    }
}

macro_rules! answer_table {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident $field:ident: $ty:ty {
            key: $key:literal,
            flag: $flag:literal,
            value_name: $value_name:literal,
            help: $help:literal,
            prompt: $prompt:literal,
            choices: $choices:expr,
            shape: $shape:ident,
            ask: $ask:ident,
            recorded: $recorded:ident,
            default: $default:expr,
            parse: $parse:expr,
        }
    )*) => {
        /// One answer; the order is the order of the table, in which answers resolve (a default
        /// may depend on the answers above it) and the wizard asks.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Field { $($variant),* }

        impl Field {
            /// Every answer, in table order.
            pub const ALL: &'static [Field] = &[$(Field::$variant),*];

            /// The row of this answer.
            pub fn spec(self) -> &'static Spec {
                match self {
                    $(Field::$variant => &Spec {
                        key: $key,
                        flag: $flag,
                        value_name: $value_name,
                        help: $help,
                        prompt: $prompt,
                        choices: $choices,
                        shape: Shape::$shape,
                        ask: Ask::$ask,
                        recorded: Record::$recorded,
                    },)*
                }
            }
        }

        /// The validated answers every later step works from, each with its origin.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Answers {
            $($(#[doc = $doc])* pub $field: crate::model::Sourced<$ty>,)*
        }

        /// Every answer that resolved, even when others did not: the wizard's defaults.
        #[derive(Debug, Clone, Default)]
        pub struct Preview {
            $(pub $field: Option<crate::model::Sourced<$ty>>,)*
        }

        impl Preview {
            /// Resolves the answers in table order; each row's default sees the rows above it.
            pub(super) fn resolve(r: &mut super::Resolver) -> Preview {
                let mut p = Preview::default();
                $(
                    {
                        let default: fn(&super::Layers, &Preview) -> Fallback = |l, p| ($default)(l, p);
                        let parse: fn(&Raw, &Preview, &super::Layers) -> super::check::Checked<$ty> =
                            |raw, p, l| ($parse)(raw, p, l);
                        p.$field = r.answer(Field::$variant, &p, default, parse);
                    }
                )*
                p
            }

            /// All answers, when every one resolved.
            pub fn complete(self) -> Option<Answers> {
                Some(Answers { $($field: self.$field?,)* })
            }

            /// The current value of `field` as text, with its origin, if it resolved.
            pub fn shown(&self, field: Field) -> Option<(String, crate::model::Origin)> {
                use super::value::AnswerValue;
                match field {
                    $(Field::$variant => self.$field.as_ref().map(|s| (s.value.show(), s.origin.clone())),)*
                }
            }
        }

        impl Answers {
            /// The answers as a complete preview (every field set).
            pub fn preview(&self) -> Preview {
                Preview { $($field: Some(self.$field.clone()),)* }
            }

            /// The value of `field` in natural TOML types (`--json` shows it as JSON).
            pub fn value_toml(&self, field: Field) -> toml::Value {
                use super::value::AnswerValue;
                match field {
                    $(Field::$variant => self.$field.value.to_toml(),)*
                }
            }

            /// Each recorded answer as the TOML value `.dockwright.toml` stores, in table order;
            /// an answer that means none is left out (an absent key means none).
            pub fn recorded(&self) -> Vec<(Field, toml::Value)> {
                use super::value::AnswerValue;
                let mut out = Vec::new();
                $(if Record::$recorded.keeps(&self.$field.origin) && !self.$field.value.means_none() {
                    out.push((Field::$variant, self.$field.value.to_toml()));
                })*
                out
            }
        }
    };
}

pub(super) use answer_table;
