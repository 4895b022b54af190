use serde::Serialize;

/// How serious a [`FieldIssue`] is: errors make a value invalid, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename_all = "lowercase"))]
pub enum Severity {
    /// The value is invalid: `ok` is false.
    Error,
    /// The value is accepted but probably not what was meant, or may be refused by Atlas.
    Warning,
}

/// The language of issue messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    /// English (the default).
    #[default]
    En,
    /// Simplified Chinese (简体中文).
    Zh,
}

impl Locale {
    /// `"zh"` (and `"zh-CN"`, `"zh-Hans"` …) is Chinese; anything else is English.
    pub fn parse(tag: &str) -> Locale {
        if tag == "zh" || tag.starts_with("zh-") || tag.starts_with("zh_") {
            Locale::Zh
        } else {
            Locale::En
        }
    }
}

/// One problem found in one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FieldIssue {
    /// JSON path of the field, such as `groupId` or `ldap.userToDNMapping[1].match`.
    pub path: String,
    /// Stable lower_snake_case code, such as `required`, `pattern`, `type`, `spec_pattern`.
    pub code: String,
    /// Whether this issue makes the value invalid.
    pub severity: Severity,
    /// A sentence for people, in the requested locale. It may change between versions.
    pub message: String,
}

/// The result of a validator: `ok` is true when no issue has severity `error`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Validation {
    /// True when no issue has severity `error`.
    pub ok: bool,
    /// Every issue found, errors and warnings, in the order of the fields checked.
    pub issues: Vec<FieldIssue>,
}
